/**
 * `manifest` and `verify`: what the upload journals sent into a batch, one line per file (path, size, MD5, asset
 * id and name, record id, upload time, labeling status), and a check of every line against the platform. Several
 * `--state-dir`s (one per shard or machine) merge into one report.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { batchManifest, resolveStateDir } from '../../uploads/index.ts';
import type { JournalManifest } from '../../uploads/index.ts';
import {
  CliError,
  EXIT_FAILURE,
  EXIT_OK,
  requireUuid,
  withClient,
  withConnectionOptions,
} from '../cli-support.ts';
import type { ConnectionFlags } from '../cli-support.ts';
import { jsonText, terminalSafe, writeLine } from '../terminal-text.ts';

interface ManifestFlags extends ConnectionFlags {
  workflow: string;
  batch: string;
  stateDir: string[];
  format: 'csv' | 'jsonl';
  out?: string;
  json?: boolean;
}

const collectDirs = (value: string, previous: string[]): string[] => [...previous, value];

function withManifestOptions(command: Command): Command {
  return withConnectionOptions(
    command
      .requiredOption('--workflow <id>', 'the workflow of the batch')
      .requiredOption('--batch <id>', 'the batch')
      .option(
        '--state-dir <dir>',
        'an upload journal to read (repeat for each shard or machine; default: the app state folder)',
        collectDirs,
        [],
      ),
  );
}

function journalsOf(flags: ManifestFlags): { workflowId: string; batchId: string; dirs: string[] } {
  const workflowId = requireUuid(flags.workflow, '--workflow');
  const batchId = requireUuid(flags.batch, '--batch');
  const dirs = flags.stateDir.length > 0 ? flags.stateDir.map((dir) => resolve(dir)) : [resolveStateDir()];
  return { workflowId, batchId, dirs };
}

async function readJournals(dirs: string[], workflowId: string, batchId: string): Promise<JournalManifest> {
  const { readManifest } = await batchManifest();
  try {
    return readManifest(dirs, workflowId, batchId);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Says on stderr when an upload still runs on a journal that was read: what `command` wrote is as of now, and a
 * run after the upload ends gives the whole set.
 */
function noteRunningUploads(manifest: JournalManifest, command: 'manifest' | 'verify'): void {
  if (manifest.runningIn.length === 0) return;
  const what = command === 'manifest' ? 'this manifest' : 'this check';
  writeLine(
    process.stderr,
    `an upload is still running in ${manifest.runningIn.join(', ')}: ${what} is as of now; run ${command} again when it finishes`,
  );
}

/** Registers `manifest` and `verify`. */
export function registerManifestCommands(program: Command): void {
  withManifestOptions(program.command('manifest'))
    .description(
      'write one line per file uploaded into a batch: path, size, MD5, asset, record, time and status',
    )
    .addOption(new Option('--format <format>', 'csv or jsonl').choices(['csv', 'jsonl']).default('csv'))
    .option('--out <file>', 'write the manifest to this file (default: standard output)')
    .action(async (flags: ManifestFlags) => {
      const { workflowId, batchId, dirs } = journalsOf(flags);
      const { listBatchRecords, manifestText, withStatuses } = await batchManifest();
      const manifest = await readJournals(dirs, workflowId, batchId);
      const records = await withClient(flags, (client) => listBatchRecords(client, batchId));
      const text = manifestText(withStatuses(manifest.lines, records), flags.format);
      if (flags.out) {
        writeFileSync(flags.out, text);
        process.stderr.write(`${terminalSafe(`wrote ${manifest.lines.length} lines to ${flags.out}`)}\n`);
      } else if (process.stdout.isTTY) {
        // A person reading: names made safe to show. A pipe or a file gets the exact bytes.
        process.stdout.write(text.split('\n').map(terminalSafe).join('\n'));
      } else process.stdout.write(text);
      noteRunningUploads(manifest, 'manifest');
    });

  withManifestOptions(program.command('verify'))
    .description(
      "check every file of a batch's manifest against the platform; exit 1 if anything is missing or extra",
    )
    .option('--json', 'print the report as JSON')
    .action(async (flags: ManifestFlags) => {
      const { workflowId, batchId, dirs } = journalsOf(flags);
      const { verifyManifest } = await batchManifest();
      const manifest = await readJournals(dirs, workflowId, batchId);
      const report = await withClient(flags, (client) => verifyManifest(client, batchId, manifest));
      const ok = report.missing.length === 0 && report.extra.length === 0;
      if (flags.json)
        process.stdout.write(`${jsonText({ ok, ...report, readFromCopy: manifest.runningIn.length > 0 })}\n`);
      else {
        for (const problem of report.missing)
          writeLine(
            process.stdout,
            `missing: ${problem.path} (asset ${problem.assetId}): ${problem.problem}`,
          );
        for (const extra of report.extra)
          writeLine(
            process.stdout,
            `extra: record ${extra.recordId}${extra.assetId ? ` (asset ${extra.assetId})` : ''} is in the batch but in no journal given`,
          );
        writeLine(
          process.stdout,
          `${ok ? 'verified' : 'NOT verified'}: ${report.checked} files checked, ${report.missing.length} problems, ${report.extra.length} extra records`,
        );
        noteRunningUploads(manifest, 'verify');
      }
      process.exitCode = ok ? EXIT_OK : EXIT_FAILURE;
    });
}

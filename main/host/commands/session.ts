/**
 * The session commands: `whoami`, `workflows`, `batches`, `batch create` and `status`. Each reads the connection
 * from flags or ALEGION_* variables, prints a table (or JSON with --json) on stdout, and reports failures as one
 * line through runCli. `status --wait` follows a batch with the doneness monitor until it is done.
 */
import { SingleBar } from 'cli-progress';
import { Option } from 'commander';
import type { Command } from 'commander';
import { BATCH_COUNT_FIELDS } from '../../../common/alegion.ts';
import type { BatchSummary } from '../../../common/alegion.ts';
import { AlegionError } from '../../alegion/index.ts';
import { collect } from '../../alegion/index.ts';
import type { AlegionClient } from '../../alegion/index.ts';
import { computeCompletion } from '../../doneness/index.ts';
import type { CompletionSnapshot } from '../../doneness/index.ts';
import { createDonenessMonitor } from '../../doneness/index.ts';
import { readCompletionCounts } from '../../doneness/index.ts';
import {
  CliError,
  EXIT_USAGE,
  describeError,
  formatTable,
  requireUuid,
  withClient,
  withConnectionOptions,
} from '../cli-support.ts';
import type { ConnectionFlags } from '../cli-support.ts';
import { hostNotFoundMessage } from '../../uploads/index.ts';
import { jsonText, writeLine, writeLines } from '../terminal-text.ts';

interface JsonFlag {
  json?: boolean;
}

/** One terminal-safe line on stdout. */
const out = (line: string): void => writeLine(process.stdout, line);

const printJson = (value: unknown): void => {
  process.stdout.write(`${jsonText(value, 2)}\n`);
};

/** Registers whoami, workflows, batches, batch create and status on the program. */
export function registerSessionCommands(program: Command): void {
  withConnectionOptions(program.command('whoami'))
    .description('check the credentials: log in and say who and where, or what was wrong')
    .option('--json', 'print JSON')
    .action(async (flags: ConnectionFlags & JsonFlag) => {
      await withClient(flags, async (client) => {
        await client.verify();
        const username = flags.username ?? process.env.ALEGION_USERNAME ?? '';
        if (flags.json) printJson({ ok: true, baseUrl: client.baseUrl, username });
        else out(`logged in to ${client.baseUrl} as ${username}`);
      });
    });

  withConnectionOptions(program.command('workflows'))
    .description('list the workflows of the account')
    .option('--json', 'print JSON')
    .action(async (flags: ConnectionFlags & JsonFlag) => {
      await withClient(flags, async (client) => {
        const workflows = await collect(client.listWorkflows({ sort: '+createdAt' }));
        if (flags.json) return printJson(workflows);
        const rows = workflows.map((workflow) => [
          workflow.id,
          workflow.isActive === false ? 'no' : 'yes',
          workflow.createdAt.slice(0, 10),
          workflow.name,
        ]);
        process.stdout.write(formatTable(['ID', 'ACTIVE', 'CREATED', 'NAME'], rows));
      });
    });

  withConnectionOptions(program.command('batches'))
    .description("list a workflow's batches with their record counts")
    .requiredOption('--workflow <id>', 'workflow id')
    .option('--json', 'print JSON')
    .action(async (flags: ConnectionFlags & JsonFlag & { workflow: string }) => {
      const workflowId = requireUuid(flags.workflow, '--workflow');
      await withClient(flags, async (client) => {
        const batches = await collect(client.listBatches(workflowId, { sort: '+createdAt' }));
        if (flags.json) return printJson(batches);
        process.stdout.write(formatTable(BATCH_HEADER, batches.map(batchRow)));
      });
    });

  const batch = program.command('batch').description('manage batches');
  withConnectionOptions(batch.command('create'))
    .description('create a batch in a workflow and print its id')
    .requiredOption('--workflow <id>', 'workflow id')
    .requiredOption('--name <name>', 'batch name')
    .option('--enabled', 'let labelers start on its records at once (default: disabled)')
    .addOption(new Option('--priority <priority>', 'batch priority').choices(['low', 'normal', 'high']))
    .option('--json', 'print JSON')
    .action(
      async (
        flags: ConnectionFlags &
          JsonFlag & {
            workflow: string;
            name: string;
            enabled?: boolean;
            priority?: 'low' | 'normal' | 'high';
          },
      ) => {
        const workflowId = requireUuid(flags.workflow, '--workflow');
        if (flags.name.trim() === '') throw new CliError('--name must not be empty', EXIT_USAGE);
        await withClient(flags, async (client) => {
          const created = await client.createBatch(workflowId, {
            name: flags.name,
            isEnabled: flags.enabled === true,
            ...(flags.priority ? { priority: flags.priority } : {}),
          });
          if (flags.json) return printJson(created);
          out(
            `created batch ${created.id} "${created.name}" (${created.isEnabled ? 'enabled' : 'disabled'})`,
          );
        });
      },
    );

  withConnectionOptions(program.command('status'))
    .description("print a batch's completion: records, results, exception + canceled, percent final, done")
    .requiredOption('--workflow <id>', 'workflow id')
    .requiredOption('--batch <id>', 'batch id')
    .option('--wait', 'follow the batch until it is done (exit 0 then)')
    .option('--interval <seconds>', 'fastest polling interval with --wait', parsePositiveSeconds, 2)
    .option('--json', 'print JSON (with --wait: one JSON line per change, the last one done)')
    .action(
      async (
        flags: ConnectionFlags &
          JsonFlag & { workflow: string; batch: string; wait?: boolean; interval: number },
      ) => {
        const workflowId = requireUuid(flags.workflow, '--workflow');
        const batchId = requireUuid(flags.batch, '--batch');
        await withClient(flags, async (client) => {
          if (!flags.wait) {
            const snapshot = computeCompletion(await readCompletionCounts(client, workflowId, batchId));
            if (flags.json) printJson(snapshot);
            else writeLines(process.stdout, formatSnapshot(snapshot));
            return;
          }
          const snapshot = await waitUntilDone(client, workflowId, batchId, flags);
          if (!flags.json) writeLines(process.stdout, formatSnapshot(snapshot));
        });
      },
    );
}

/** What a wait tells a person: how to stop it, and that nothing is lost by stopping. */
const WAIT_HINT = 'Ctrl+C stops; run the same command again to go on waiting';

const BATCH_HEADER = [
  'ID',
  'ENABLED',
  'RECORDS',
  'COMPLETE',
  'IN PROGRESS',
  'QUEUED',
  'EXCEPTIONS',
  'CANCELED',
  'NAME',
];

function batchRow(batch: BatchSummary): string[] {
  const records = BATCH_COUNT_FIELDS.reduce((sum, field) => sum + batch[field], 0);
  return [
    batch.id,
    batch.isEnabled ? 'yes' : 'no',
    String(records),
    String(batch.complete),
    String(batch.inProgress),
    String(batch.queued),
    String(batch.exceptions),
    String(batch.canceled),
    batch.name,
  ];
}

function parsePositiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError(`--interval "${value}" is not a positive number of seconds`, EXIT_USAGE);
  }
  return seconds;
}

/** The completion of a batch as an aligned block of lines. */
function formatSnapshot(snapshot: CompletionSnapshot): string[] {
  const lines: [string, string][] = [
    ['batch', snapshot.batchId],
    ['workflow', snapshot.workflowId],
    ['records', String(snapshot.records)],
    ['results', String(snapshot.results)],
    ['exception+canceled', String(snapshot.exceptionOrCanceled)],
    ['final', `${snapshot.final}/${snapshot.records} (${snapshot.percentFinal}%)`],
    ['done', snapshot.done ? 'yes' : 'no'],
  ];
  if (snapshot.batchCounts) {
    const counts = snapshot.batchCounts;
    lines.push(['batch counts', BATCH_COUNT_FIELDS.map((field) => `${field} ${counts[field]}`).join(', ')]);
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  return lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}

/** One line of progress for logs and pipes (no TTY). */
function progressLine(snapshot: CompletionSnapshot): string {
  return (
    `${snapshot.final}/${snapshot.records} final (${snapshot.percentFinal}%): ` +
    `${snapshot.results} results, ${snapshot.exceptionOrCanceled} exception+canceled${snapshot.done ? ', done' : ''}`
  );
}

/**
 * Follows a batch until it is done. Transient failures (network, 5xx, 429) are reported and waited out; a failure
 * that polling again cannot fix (rejected key or login, unknown batch, a host name that does not resolve before the
 * API has answered once) ends the wait with that error.
 */
function waitUntilDone(
  client: AlegionClient,
  workflowId: string,
  batchId: string,
  flags: JsonFlag & { interval: number },
): Promise<CompletionSnapshot> {
  const minMs = Math.round(flags.interval * 1000);
  const monitor = createDonenessMonitor({
    client,
    // Referenced timers: while waiting, the pending poll is what keeps the process alive.
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
    polling: { minMs, maxMs: Math.max(minMs, 15_000) },
  });
  const bar =
    !flags.json && process.stderr.isTTY
      ? new SingleBar({
          format:
            'batch {bar} {percentage}% | {value}/{total} final | {results} results | {exceptions} exception+canceled',
          hideCursor: true,
          clearOnComplete: false,
        })
      : undefined;
  let barStarted = false;
  let answered = false;
  return new Promise<CompletionSnapshot>((resolve, reject) => {
    const finish = (outcome: () => void): void => {
      monitor.stop();
      if (barStarted) bar?.stop();
      outcome();
    };
    monitor.subscribe((event) => {
      if (event.type === 'error') {
        const hostNotFound = answered ? undefined : hostNotFoundMessage(event.error);
        if (hostNotFound) {
          finish(() => reject(new CliError(hostNotFound)));
          return;
        }
        if (event.error instanceof AlegionError && event.error.retryable) {
          writeLine(
            process.stderr,
            `warning: ${describeError(event.error)}; retrying in ${Math.round(event.retryInMs / 1000)} s (${WAIT_HINT})`,
          );
          return;
        }
        finish(() => reject(event.error));
        return;
      }
      if (event.type !== 'change') return;
      answered = true;
      const { snapshot } = event;
      if (flags.json) process.stdout.write(`${jsonText(snapshot)}\n`);
      else if (bar) {
        const payload = { results: snapshot.results, exceptions: snapshot.exceptionOrCanceled };
        if (!barStarted) bar.start(Math.max(1, snapshot.records), snapshot.final, payload);
        else bar.setTotal(Math.max(1, snapshot.records));
        barStarted = true;
        bar.update(snapshot.final, payload);
      } else writeLine(process.stderr, progressLine(snapshot));
      if (snapshot.done) finish(() => resolve(snapshot));
    });
    monitor.track(workflowId, batchId);
  });
}

/**
 * The `export` command: create an export of a workflow's results (filters: batches, creation times, or "since the
 * last export"), wait until it is ready, download it resumably into --out, optionally extract it, and print the
 * path written. A killed run, rerun with the same flags, resumes the download from its `.part` file. When no result
 * matches (nothing new since the last export), it says so, writes no file, and exits 0.
 */
import { SingleBar } from 'cli-progress';
import { Option } from 'commander';
import type { Command } from 'commander';
import { ExportError } from '../../exports/index.ts';
import { emptyMessage } from '../../exports/index.ts';
import { createExportService } from '../../exports/index.ts';
import type { ExportOutcome, ExportRunEvent } from '../../exports/index.ts';
import { renamedSentence } from '../../exports/index.ts';
import { etaText, formatProgressLine, speedText, TransferAverage } from '../../exports/index.ts';
import type { ProgressReading } from '../../exports/index.ts';
import { formatBytes } from '../../../common/byte-size.ts';
import { defaultStateDir } from '../../state/app-state-dir.ts';
import { CliError, EXIT_USAGE, requireUuid, withClient, withConnectionOptions } from '../cli-support.ts';
import type { ConnectionFlags } from '../cli-support.ts';
import { jsonText, writeLine } from '../terminal-text.ts';

interface ExportFlags extends ConnectionFlags {
  workflow: string;
  batch?: string[];
  format: 'zip' | 'json';
  name?: string;
  sinceLast?: boolean;
  minCreatedAt?: string;
  maxCreatedAt?: string;
  out: string;
  extract?: boolean;
  json?: boolean;
  stateDir?: string;
}

/** Something that shows the run to a person or a program. */
interface Reporter {
  event(event: ExportRunEvent): void;
  done(outcome: ExportOutcome): void;
  stop(): void;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const err = (line: string): void => writeLine(process.stderr, line);

/**
 * One line per step on stderr; progress as a bar on a TTY, as a line every few seconds otherwise. The final
 * reading (100%, with the average throughput of the run and no time left) is shown once, when the file is verified.
 */
function textReporter(tty: boolean, sinceLast: boolean): Reporter {
  let bar: SingleBar | undefined;
  let lastLineAt = 0;
  let average = new TransferAverage();
  const stopBar = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const payload = (reading: ProgressReading): Record<string, string> => ({
    done: formatBytes(reading.bytes),
    size: formatBytes(reading.totalBytes ?? reading.bytes),
    speed: speedText(reading),
    eta: etaText(reading),
  });
  const show = (reading: ProgressReading): void => {
    const total = reading.totalBytes ?? reading.bytes;
    if (tty) {
      if (!bar) {
        bar = new SingleBar({
          format: 'downloading [{bar}] {percentage}% {done}/{size}{speed}{eta}',
          stream: process.stderr,
          hideCursor: true,
        });
        bar.start(total, reading.bytes, payload(reading));
      }
      bar.setTotal(total);
      bar.update(reading.bytes, payload(reading));
    } else if (reading.done || Date.now() - lastLineAt > 5000) {
      lastLineAt = Date.now();
      err(formatProgressLine(reading));
    }
  };
  return {
    event(event) {
      if (event.type === 'job') {
        const { job } = event;
        if (job.status === 'creating' && event.resumed) err(`resuming export job ${job.jobId}`);
        if (job.status === 'generating') {
          err(`export ${job.exportId ?? ''} created: ${job.recordResultCount ?? 0} results, ${job.filename}`);
          if (job.minCreatedAt) err(`  only results created since ${job.minCreatedAt}`);
          else if (sinceLast) err('  no earlier export of this workflow/batch set: every result is included');
        }
        if (job.status === 'downloading' && event.resumed && job.bytes > 0) {
          err(`resuming the download of ${job.filename} from ${formatBytes(job.bytes)}`);
        }
        if (job.status === 'extracting') stopBar();
      } else if (event.type === 'waiting') {
        if (event.waitedMs === 0 || Date.now() - lastLineAt > 5000) {
          lastLineAt = Date.now();
          err(`waiting for export ${event.exportId}: ${event.status}`);
        }
      } else if (event.type === 'download') {
        const inner = event.event;
        if (inner.type === 'start') {
          average = new TransferAverage();
          average.start(Date.now(), inner.fromBytes);
        } else if (inner.type === 'progress') {
          average.observe(Date.now(), inner.bytes);
          // 100% is shown once, as the final reading, when the file is verified.
          if (inner.totalBytes === undefined || inner.bytes < inner.totalBytes)
            show({ ...inner, done: false });
        } else if (inner.type === 'interrupted') {
          if (!tty)
            err(
              `transfer interrupted at ${formatBytes(inner.bytes)} (${inner.reason}); resuming (Ctrl+C stops; run the same command again to resume)`,
            );
        } else if (inner.type === 'restart') {
          err(`starting the download over: ${inner.reason}`);
        } else if (inner.type === 'verified') {
          average.observe(Date.now(), inner.bytes);
          show({
            bytes: inner.bytes,
            totalBytes: inner.bytes,
            bytesPerSecond: average.received() > 0 ? average.bytesPerSecond(Date.now()) : undefined,
            etaSeconds: undefined,
            done: true,
          });
          stopBar();
          err(
            `verified ${formatBytes(inner.bytes)}, MD5 ${inner.md5}${inner.etagChecked ? ' matches the ETag' : ''}`,
          );
        }
      } else if (event.type === 'extracted') {
        err(
          `extracted ${event.result.files} files (${formatBytes(event.result.bytes)}) into ${event.result.folder}`,
        );
        const renamed = renamedSentence(event.result.renamed);
        if (renamed) err(renamed);
      }
    },
    done(outcome) {
      stopBar();
      if (outcome.empty) {
        err(emptyMessage(outcome.minCreatedAt));
        return;
      }
      writeLine(process.stdout, outcome.path);
    },
    stop: stopBar,
  };
}

/** NDJSON on stdout: one object per event, the last one `{"event":"done", ...}`. */
function jsonReporter(): Reporter {
  const line = (value: Record<string, unknown>): void => {
    process.stdout.write(`${jsonText(value)}\n`);
  };
  return {
    event(event) {
      if (event.type === 'job') {
        const { job } = event;
        line({
          event: 'job',
          status: job.status,
          jobId: job.jobId,
          exportId: job.exportId ?? null,
          filename: job.filename,
          recordResultCount: job.recordResultCount ?? null,
          minCreatedAt: job.minCreatedAt ?? null,
          bytes: job.bytes,
          resumed: event.resumed,
        });
      } else if (event.type === 'waiting') {
        line({ event: 'waiting', exportId: event.exportId, status: event.status, waitedMs: event.waitedMs });
      } else if (event.type === 'download') {
        line({ ...event.event, event: event.event.type, type: undefined });
      } else {
        line({ event: 'extracted', ...event.result });
      }
    },
    done(outcome) {
      if (outcome.empty) {
        line({
          event: 'done',
          empty: true,
          message: emptyMessage(outcome.minCreatedAt),
          path: null,
          bytes: 0,
          md5: null,
          exportId: outcome.job.exportId ?? null,
          recordResultCount: 0,
          minCreatedAt: outcome.minCreatedAt ?? null,
          nextSinceLast: outcome.cursorAt ?? null,
          extractedTo: null,
          resumed: outcome.resumed,
        });
        return;
      }
      line({
        event: 'done',
        empty: false,
        path: outcome.path,
        bytes: outcome.bytes,
        md5: outcome.md5,
        exportId: outcome.job.exportId,
        recordResultCount: outcome.job.recordResultCount ?? null,
        minCreatedAt: outcome.minCreatedAt ?? null,
        nextSinceLast: outcome.cursorAt,
        extractedTo: outcome.extractedTo ?? null,
        resumed: outcome.resumed,
      });
    },
    stop: () => undefined,
  };
}

/** Registers `export`. */
export function registerExportCommand(program: Command): void {
  withConnectionOptions(program.command('export'))
    .description("export a workflow's results, download them resumably, and print the path written")
    .requiredOption('--workflow <id>', 'workflow id')
    .addOption(new Option('--batch <id>', 'only this batch (repeat for several)').argParser(collect))
    .addOption(
      new Option('--format <format>', 'zip (results and assets) or json (gzipped)')
        .choices(['zip', 'json'])
        .default('zip'),
    )
    .option('--name <filename>', 'export file name (default results-<workflow>-<time>.zip or .json.gz)')
    .option(
      '--since-last',
      'only results created since the last completed export of the same workflow/batches',
    )
    .option('--min-created-at <time>', 'only results created at or after this ISO-8601 time')
    .option('--max-created-at <time>', 'only results created at or before this ISO-8601 time')
    .requiredOption('--out <dir>', 'folder to write the export into')
    .option('--extract', 'unzip into a folder named after the export (zip only)')
    .option(
      '--json',
      'print NDJSON events on stdout, the last one {"event":"done","path":...} (path null, empty true: nothing to export)',
    )
    .option('--state-dir <dir>', 'where export bookkeeping is kept (default: the per-user state folder)')
    .action(async (flags: ExportFlags) => {
      const workflowId = requireUuid(flags.workflow, '--workflow');
      const batchIds = (flags.batch ?? []).map((id) => requireUuid(id, '--batch'));
      if (flags.sinceLast && flags.minCreatedAt !== undefined) {
        throw new CliError('--since-last and --min-created-at cannot be used together', EXIT_USAGE);
      }
      if (flags.extract && flags.format === 'json') {
        throw new CliError('--extract needs --format zip', EXIT_USAGE);
      }
      const stateDir = flags.stateDir ?? defaultStateDir();
      const reporter = flags.json
        ? jsonReporter()
        : textReporter(process.stderr.isTTY === true, flags.sinceLast === true);
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      try {
        const outcome = await withClient(flags, async (client) => {
          const exports = createExportService({
            stateDir,
            client: () => client,
            downloadDir: () => flags.out,
            autoSyncMinutes: () => 0,
            onChange: () => undefined,
          });
          try {
            return await exports.exportNow(
              {
                workflowId,
                batchIds,
                format: flags.format,
                ...(flags.name === undefined ? {} : { filename: flags.name }),
                sinceLast: flags.sinceLast === true,
                ...(flags.minCreatedAt === undefined ? {} : { minCreatedAt: flags.minCreatedAt }),
                ...(flags.maxCreatedAt === undefined ? {} : { maxCreatedAt: flags.maxCreatedAt }),
                outDir: flags.out,
                extract: flags.extract === true,
              },
              controller.signal,
              (event) => reporter.event(event),
            );
          } finally {
            await exports.close();
          }
        });
        reporter.done(outcome);
      } catch (error) {
        reporter.stop();
        if (error instanceof ExportError && error.code === 'invalid-request') {
          throw new CliError(error.message, EXIT_USAGE);
        }
        if (controller.signal.aborted) {
          throw new CliError('interrupted; run the same command again to resume the download');
        }
        throw error;
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    });
}

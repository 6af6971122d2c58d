/**
 * The `upload` command: queue files and folders (or a records file) into a batch of a workflow, upload them with
 * progress, and end with a summary. The journal in the state directory makes it resumable: running the same
 * command again after a crash or a kill continues the same run (same batch, same items) and never starts over.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import type { UploadTarget } from '../../../common/api.ts';
import { NotFoundError } from '../../alegion/index.ts';
import { hostNotFoundMessage } from '../../uploads/index.ts';
import type { SkippedFile } from '../../uploads/index.ts';
import { classifyFailure } from '../../uploads/index.ts';
import { barReporter, isWalkProblem, jsonReporter, lineReporter } from '../upload-report.ts';
import type { UploadReporter, UploadSummary } from '../upload-report.ts';
import { DEFAULT_LIMITS, serverKey } from '../../uploads/index.ts';
import { openUploadService } from './open-upload-service.ts';
import type { OpenedUploads } from './open-upload-service.ts';
import type { UploadService } from '../../uploads/index.ts';
import {
  CliError,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  connectionFrom,
  printError,
  withConnectionOptions,
} from '../cli-support.ts';
import { recordsReportLines } from './records-report.ts';
import { printPlan } from './upload-plan-report.ts';
import { nonNegative, planFrom, positiveInt, recordLimitFlag, recordsReadFlags } from './upload-flags.ts';
import type { UploadFlags } from './upload-flags.ts';

/** Registers `upload`. */
export function registerUploadCommand(program: Command): void {
  const command = program
    .command('upload')
    .description(
      'Upload files and folders (or a records file) into a batch; rerun the same command to resume.',
    )
    .argument('[paths...]', 'files and folders to upload')
    .requiredOption('--workflow <id>', 'workflow to upload into')
    .option('--batch <id>', 'existing batch to add records to')
    .option('--new-batch <name>', 'create this batch (once: a rerun finds it again)')
    .option('--enabled', 'create the new batch enabled, so labelers start at once')
    .option(
      '--records <file>',
      'import input records from a JSON, JSONL or CSV file instead of uploading files',
    )
    .option('--reimport', 'with --records: send every row again, also rows imported into this batch before')
    .option(
      '--encoding <label>',
      "with --records: the file's encoding (e.g. windows-1252) when it has no byte-order mark (default utf-8)",
    )
    .option(
      '--delimiter <name>',
      'with --records: the CSV separator, comma, semicolon or tab (default: detected)',
    )
    .option('--reupload', 'upload files again even when uploaded before to this workflow')
    .addOption(
      new Option(
        '--kind <kind>',
        'the media kind the workflow takes; other kinds fail as a type mismatch',
      ).choices(['image', 'video', 'text']),
    )
    .option(
      '--concurrency <n>',
      `most PUTs to storage at once; adapts below it (default ${DEFAULT_LIMITS.putConcurrency})`,
    )
    .option(
      '--api-concurrency <n>',
      `most API calls at once; adapts below it (default ${DEFAULT_LIMITS.concurrency})`,
    )
    .option('--bwlimit <MB/s>', 'bandwidth limit in MB/s across all uploads (default 0: unlimited)')
    .option('--max-file-size <MB>', 'files larger than this fail (default: no limit)')
    .option(
      '--shard <I/N>',
      "upload only share I of N (0-based; auto/N reads I from JOB_COMPLETION_INDEX), by each file's path below its folder",
    )
    .option(
      '--max-records <n>',
      'create at most n records in this upload, across kills and reruns; the rest stay queued for a rerun with a higher limit',
    )
    .option(
      '--dry-run',
      'show what the upload would do (files by kind, records, what is skipped and why) and create nothing',
    )
    .option(
      '--skip-duplicate-content',
      'upload each content once: files with identical bytes after the first are skipped',
    )
    .option('--state-dir <dir>', 'where the upload journal lives (default: the app state folder)')
    .option('--json', 'print NDJSON events instead of progress');
  withConnectionOptions(command).action(
    async (paths: string[], flags: UploadFlags & { apiConcurrency?: string }) => {
      process.exitCode = await runUpload(paths, flags);
    },
  );
}

async function runUpload(paths: string[], flags: UploadFlags & { apiConcurrency?: string }): Promise<number> {
  planFrom(paths, flags); // usage errors first, before credentials are looked for
  const connection = connectionFrom(flags);
  const server = serverKey(connection.baseUrl, connection.username);
  const { target, runKey, shard } = planFrom(paths, flags, server);
  const limits = {
    putConcurrency: positiveInt(flags.concurrency, '--concurrency', DEFAULT_LIMITS.putConcurrency),
    concurrency: positiveInt(flags.apiConcurrency, '--api-concurrency', DEFAULT_LIMITS.concurrency),
    bandwidthMBps: nonNegative(flags.bwlimit, '--bwlimit'),
  };
  const maxFileBytes = nonNegative(flags.maxFileSize, '--max-file-size') * 1e6;
  const maxRecords = recordLimitFlag(flags.maxRecords);
  const { client, service, stateDir } = await openUploadService(connection, flags.stateDir, {
    limits,
    maxFileBytes,
    // A mistyped --api-url ends the command with that said, instead of an offline wait that never ends.
    runner: { endWhenHostUnknown: true },
  });
  if (flags.dryRun) {
    try {
      if (target.batchId) await checkTarget(service, client, target);
      printPlan(
        await service.planUpload(paths, target, {
          reupload: flags.reupload ?? false,
          skipDuplicateContent: flags.skipDuplicateContent ?? false,
          maxRecords,
          ...(shard ? { shard } : {}),
        }),
        flags.json ?? false,
      );
      return EXIT_OK;
    } finally {
      await service.stop();
      client.close();
    }
  }
  const reporter: UploadReporter = flags.json
    ? jsonReporter(process.stdout)
    : process.stderr.isTTY
      ? barReporter(process.stdout, process.stderr)
      : lineReporter(process.stdout);
  const started = Date.now();
  // Given paths that do not exist and files that could not be read: reported, the rest uploaded, exit 1 at the end.
  const problems: SkippedFile[] = [];
  const interrupted = new AbortController();
  const onSignal = (): void => interrupted.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const run = service.openRun(runKey);
    service.limitRecords(run.id, maxRecords);
    service.skipDuplicateContent(run.id, flags.skipDuplicateContent ?? false);
    service.focusRun(run.id);
    reporter.started({ runId: run.id, resumed: run.resumed, stateDir });
    service.on('queueProgress', (snapshot) => reporter.progress(snapshot));
    service.on('itemsSettled', (items) => reporter.settled(items));
    service.on('notice', (notice) => reporter.notice(notice));
    service.start();
    await checkTarget(service, client, target);
    if (flags.records) {
      const added = await service.addRecordsFile(flags.records, target, {
        runId: run.id,
        reimport: flags.reimport ?? false,
        ...recordsReadFlags(flags),
      });
      if (added.errors.length > 0) {
        const lines = added.errors.map((e) => (e.line > 0 ? `line ${e.line}: ${e.message}` : e.message));
        throw new CliError(
          `${flags.records} has ${added.errors.length} problem(s); nothing was sent:`,
          EXIT_FAILURE,
          lines,
        );
      }
      if (flags.json) {
        const { runId: _runId, errors: _errors, ...read } = added;
        process.stdout.write(`${JSON.stringify({ event: 'records', ...read })}\n`);
      } else
        process.stdout.write(
          recordsReportLines(flags.records, added)
            .map((line) => `${line}\n`)
            .join(''),
        );
    } else {
      try {
        const added = await service.addPaths(paths, target, {
          runId: run.id,
          reupload: flags.reupload ?? false,
          signal: interrupted.signal,
          ...(shard ? { shard } : {}),
          onSkip: (skipped) => {
            if (isWalkProblem(skipped)) problems.push(skipped);
            reporter.skippedByWalk(skipped);
          },
        });
        reporter.queued(added);
      } catch (error) {
        // Interrupted while walking: what was queued stays in the journal for the rerun.
        if (!interrupted.signal.aborted) throw error;
      }
    }
    await waitForRun(service, interrupted.signal);
    const summary = { ...summarize(service, run.id, started), walkProblems: problems.length };
    if (summary.pending === 0 && !interrupted.signal.aborted) service.finishRun(run.id);
    reporter.summary(summary);
    if (interrupted.signal.aborted) return 130;
    if (problems.length > 0) printError(new CliError(problemLine(problems)));
    // Items held by --max-records are the limit doing its job, not a failure.
    const held = maxRecords === null ? 0 : service.heldByRecordLimit(run.id);
    if (held > 0)
      process.stderr.write(
        `limit of ${maxRecords} records reached; ${held} ${held === 1 ? 'file' : 'files'} left in the queue (rerun with a higher --max-records to send them)\n`,
      );
    return summary.failed > 0 || summary.pending - held > 0 || problems.length > 0 ? EXIT_FAILURE : EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    reporter.stop();
    await service.stop();
    client.close();
  }
}

/** Fails fast on a wrong workflow or batch when the API is reachable; offline, the queue simply waits. */
async function checkTarget(
  service: UploadService,
  client: OpenedUploads['client'],
  target: UploadTarget,
): Promise<void> {
  try {
    if (target.batchId) {
      const batch = await client.getBatch(target.batchId);
      if (batch.workflowId !== target.workflowId) {
        throw new CliError(
          `batch ${target.batchId} belongs to workflow ${batch.workflowId}, not ${target.workflowId}`,
          EXIT_USAGE,
        );
      }
    } else {
      await service.resolveBatch(target);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    // The first contact of the run: a host name that does not resolve now is a mistyped URL, not an outage.
    const hostNotFound = hostNotFoundMessage(error);
    if (hostNotFound) throw new CliError(hostNotFound);
    const failure = classifyFailure(error);
    if (failure.kind === 'global' || error instanceof NotFoundError) throw new CliError(failure.message);
    // Network trouble or a transient error: the runner retries, and reports offline if it lasts.
  }
}

/** The closing error line for what was asked for but not read: how many, and the first few paths. */
function problemLine(problems: readonly SkippedFile[]): string {
  const shown = problems.slice(0, 3).map((problem) => `${problem.path} (${problem.reason})`);
  const more = problems.length > shown.length ? `, and ${problems.length - shown.length} more` : '';
  const what =
    problems.length === 1
      ? '1 path was not uploaded: it does not exist or'
      : `${problems.length} paths were not uploaded: they do not exist or`;
  return `${what} could not be read: ${shown.join(', ')}${more}`;
}

/**
 * Resolves once the run has settled (or the queue is blocked, or the user interrupted): looked at again as items
 * settle and the queue changes, so the summary follows the last item at once, and every 200 ms besides.
 */
async function waitForRun(service: UploadService, signal: AbortSignal): Promise<void> {
  const over = (): boolean => signal.aborted || service.mode === 'blocked' || service.isSettled();
  if (over()) return;
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (!over()) return;
      clearInterval(timer);
      offSettled();
      offChanged();
      signal.removeEventListener('abort', check);
      resolve();
    };
    const timer = setInterval(check, 200);
    const offSettled = service.on('itemsSettled', check);
    const offChanged = service.on('queueChanged', check);
    signal.addEventListener('abort', check);
  });
}

function summarize(service: UploadService, runId: number, started: number): UploadSummary {
  service.focusRun(runId);
  const totals = service.totals();
  const f = totals.files;
  const outcome = service.runOutcome(runId, 50);
  return {
    done: f.done,
    skipped: f.skipped,
    failed: f.failed,
    canceled: f.canceled,
    pending: f.waiting + f.active + f.paused,
    walkSkipped: outcome.walkSkipped,
    walkProblems: 0,
    bytes: totals.bytes.done,
    seconds: (Date.now() - started) / 1000,
    failures: outcome.failures.map((item) => ({
      name: item.name,
      reason: item.reason ?? 'failed',
    })),
    skips: outcome.skips.slice(0, 20).map((item) => ({ name: item.name, reason: item.reason ?? 'skipped' })),
    batchId: outcome.batchId,
    message: service.mode === 'blocked' ? service.modeMessage : null,
  };
}

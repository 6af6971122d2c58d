/**
 * The export side of the engine: the contract's export methods (start, list, retry, cancel, auto-sync) over the
 * runner, with jobs running in the background and every change pushed as an `ExportJobView`. Auto-sync is fed with
 * the batch completions the engine already tracks. The engine passes in how to reach the current client, where
 * downloads go and how often auto-sync may run; nothing here imports electron.
 */
import { join } from 'node:path';
import type { AutoSyncArgs, Completion, ExportJobView, ParsedApi, ParsedArgs } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import { AutoSync } from './auto-sync.ts';
import type { AutoSyncClock } from './auto-sync.ts';
import { ExportError } from './export-errors.ts';
import { exportLabel } from './export-name.ts';
import type { ExportRequest } from './export-plan.ts';
import { emptyMessage, ExportRunner } from './export-runner.ts';
import type { ExportOutcome, ExportRunEvent, ExportRunnerOptions } from './export-runner.ts';
import { EXPORT_STORE_FILE, ExportStore } from './export-store.ts';
import { toJobView } from './job-view.ts';
import { discardPart } from './resumable-download.ts';
import type { DownloadProgress } from './resumable-download.ts';

/** The contract's export methods, taking their arguments parsed (defaults applied) by the engine's dispatch. */
type ExportMethods = Pick<
  ParsedApi,
  'startExport' | 'listExports' | 'retryExport' | 'cancelExport' | 'setAutoSync' | 'listAutoSync'
>;

interface ExportServiceOptions {
  /** Where `exports.sqlite` lives. */
  stateDir: string;
  /** The connected client; throws a clear error when there is none. */
  client: () => AlegionClient;
  /** Folder exports go to when the request names none (the download folder setting). */
  downloadDir: () => string;
  /** Least minutes between two auto-sync exports of one batch (the setting). */
  autoSyncMinutes: () => number;
  /** Pushes a job's new state (the `exportChanged` event). */
  onChange: (view: ExportJobView) => void;
  /** Tells the user about finished and failed exports (desktop notification). */
  notify?: (title: string, body: string) => void;
  clock?: AutoSyncClock;
  /** Runner tuning (tests shorten the polling). */
  runner?: Pick<ExportRunnerOptions, 'poll' | 'download' | 'extractLimits'>;
}

export interface ExportService extends ExportMethods {
  /** Feeds a batch completion (the `batchCompletion` event): new results trigger auto-sync. */
  onCompletion(completion: Completion): void;
  /** Resumes every export left unfinished by an earlier run (call once connected). */
  resumeInFlight(): void;
  /** Resolves when no export is running (for tests and orderly shutdown). */
  whenIdle(): Promise<void>;
  /**
   * Runs one export in the foreground until its file is saved (the CLI's `export`): its events go to `onEvent`, and
   * an abort leaves it resumable by the same request.
   */
  exportNow(
    request: ExportRequest,
    signal: AbortSignal,
    onEvent: (event: ExportRunEvent) => void,
  ): Promise<ExportOutcome>;
  /** Stops running exports (they stay resumable) and closes the store. */
  close(): Promise<void>;
}

interface Running {
  controller: AbortController;
  done: Promise<ExportOutcome | undefined>;
  progress: DownloadProgress | undefined;
}

/** Creates the export service. */
export function createExportService(options: ExportServiceOptions): ExportService {
  const store = new ExportStore(join(options.stateDir, EXPORT_STORE_FILE));
  const running = new Map<string, Running>();
  const notify = options.notify ?? (() => undefined);

  const view = (jobId: string): ExportJobView => {
    const job = store.getJob(jobId);
    if (!job) throw new ExportError('invalid-request', `no export job ${jobId}`);
    return toJobView(job, running.get(jobId)?.progress);
  };

  const onEvent = (event: ExportRunEvent): void => {
    const jobId = event.type === 'job' ? event.job.jobId : event.jobId;
    const entry = running.get(jobId);
    if (event.type === 'download' && event.event.type === 'progress' && entry) {
      const { bytes, totalBytes, bytesPerSecond, etaSeconds } = event.event;
      entry.progress = { bytes, totalBytes, bytesPerSecond, etaSeconds };
    } else if (event.type === 'download' && event.event.type !== 'interrupted') {
      return;
    }
    options.onChange(view(jobId));
  };

  const runner = (): ExportRunner =>
    new ExportRunner({ ...options.runner, client: options.client(), store, onEvent });

  /** Runs a job in the background; its outcome reaches the user through events and notifications. */
  const launch = (jobId: string, work: (signal: AbortSignal) => Promise<ExportOutcome>): Running => {
    const existing = running.get(jobId);
    if (existing) return existing;
    const controller = new AbortController();
    const entry: Running = { controller, progress: undefined, done: Promise.resolve(undefined) };
    running.set(jobId, entry);
    entry.done = work(controller.signal).then(
      (outcome) => {
        if (outcome.empty) notify('Nothing to export', emptyMessage(outcome.minCreatedAt));
        else notify('Export ready', outcome.extractedTo ?? outcome.path);
        return outcome;
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          notify('Export failed', error instanceof Error ? error.message : String(error));
        }
        return undefined;
      },
    );
    void entry.done.finally(() => {
      running.delete(jobId);
      if (store.getJob(jobId)) options.onChange(view(jobId));
    });
    return entry;
  };

  const requestOf = (parsed: ParsedArgs<'startExport'>[0]): ExportRequest => {
    return {
      workflowId: parsed.workflowId,
      batchIds: parsed.batchIds,
      format: parsed.format,
      sinceLast: parsed.sinceLast,
      ...(parsed.minCreatedAt === undefined ? {} : { minCreatedAt: parsed.minCreatedAt }),
      ...(parsed.maxCreatedAt === undefined ? {} : { maxCreatedAt: parsed.maxCreatedAt }),
      outDir: parsed.destination ?? options.downloadDir(),
      extract: parsed.extract,
    };
  };

  const autoSync = new AutoSync({
    intervalMs: options.autoSyncMinutes() * 60_000,
    ...(options.clock ? { clock: options.clock } : {}),
    runExport: async (scope, signal) => {
      const instance = runner();
      const request: ExportRequest = {
        workflowId: scope.workflowId,
        batchIds: [scope.batchId],
        sinceLast: true,
        outDir: options.downloadDir(),
      };
      // A signal can outrun the results (or repeat a count already exported): no job, no export, no file then.
      if ((await instance.countResults(request)) === 0) return { empty: true };
      const label = await exportLabel(options.client(), scope.workflowId, [scope.batchId]);
      const { job, resumed } = await instance.prepare(label === undefined ? request : { ...request, label });
      const entry = launch(job.jobId, (own) => instance.execute(job.jobId, resumed, own));
      signal.addEventListener('abort', () => entry.controller.abort(), { once: true });
      const outcome = await entry.done;
      // The auto-sync scheduler retries in its next window only when it learns of the failure.
      if (!outcome) throw new ExportError('export-failed', store.getJob(job.jobId)?.error ?? 'export failed');
      return outcome;
    },
  });
  for (const { workflowId, batchId } of store.listAutoSync()) autoSync.enable(workflowId, batchId);

  return {
    async startExport(args) {
      const instance = runner();
      const request = requestOf(args);
      const label = await exportLabel(options.client(), request.workflowId, request.batchIds ?? []);
      const { job, resumed } = await instance.prepare(label === undefined ? request : { ...request, label });
      launch(job.jobId, (signal) => instance.execute(job.jobId, resumed, signal));
      return view(job.jobId);
    },
    async listExports() {
      return store.listRecent(100).map((job) => toJobView(job, running.get(job.jobId)?.progress));
    },
    async retryExport(jobId) {
      const job = store.getJob(jobId);
      if (!job) throw new ExportError('invalid-request', `no export job ${jobId}`);
      if (job.status === 'done' || job.status === 'canceled') {
        throw new ExportError('invalid-request', `export job ${jobId} is already ${job.status}`);
      }
      const instance = runner();
      // resume() puts a failed job back at the step it failed in, then runs it.
      launch(jobId, (signal) => instance.resume(jobId, signal));
      return view(jobId);
    },
    async cancelExport(jobId) {
      const entry = running.get(jobId);
      entry?.controller.abort();
      await entry?.done;
      const job = store.getJob(jobId);
      if (!job || job.status === 'done') return;
      store.setStatus(jobId, 'canceled');
      await discardPart(job.partPath);
      options.onChange(view(jobId));
    },
    async setAutoSync(args: AutoSyncArgs) {
      store.setAutoSync(args.workflowId, args.batchId, args.enabled);
      if (args.enabled) autoSync.enable(args.workflowId, args.batchId);
      else autoSync.disable(args.batchId);
    },
    async listAutoSync() {
      return store.listAutoSync().map((entry) => ({ ...entry, enabled: true }));
    },
    onCompletion(completion) {
      autoSync.setInterval(options.autoSyncMinutes() * 60_000);
      autoSync.observeResultCount(completion.workflowId, completion.batchId, completion.results);
    },
    resumeInFlight() {
      for (const job of store.listInFlight()) {
        const instance = runner();
        launch(job.jobId, (signal) => instance.execute(job.jobId, true, signal));
      }
    },
    async whenIdle() {
      await Promise.all([...running.values()].map((entry) => entry.done));
      await autoSync.whenIdle();
    },
    exportNow(request, signal, onEventOfRun) {
      return new ExportRunner({
        ...options.runner,
        client: options.client(),
        store,
        onEvent: onEventOfRun,
      }).run(request, signal);
    },
    async close() {
      autoSync.stop();
      for (const entry of running.values()) entry.controller.abort();
      await Promise.all([...running.values()].map((entry) => entry.done));
      store.close();
    },
  };
}

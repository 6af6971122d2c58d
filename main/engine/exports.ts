/**
 * Exports and sync as the contract shows them, over the export runner: a started export runs in the background
 * (create, wait, download resumably, extract) and every step is announced as `exportChanged`. Jobs live in the
 * export store, so a restart or a lost connection resumes them. Auto-sync exports new results of the batches it
 * is switched on for, fed by the doneness monitor's result counts.
 */
import { join } from 'node:path';
import type { AutoSyncArgs, ExportJobView, Settings } from '../../common/api.ts';
import { ExportArgs } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import type { DonenessMonitor } from '../doneness/monitor.ts';
import { AutoSync } from '../exports/auto-sync.ts';
import { ExportRunner } from '../exports/export-runner.ts';
import type { ExportRunEvent } from '../exports/export-runner.ts';
import { EXPORT_STORE_FILE, ExportStore } from '../exports/export-store.ts';
import { toJobView } from '../exports/job-view.ts';
import type { DownloadProgress } from '../exports/resumable-download.ts';
import { EngineError } from './errors.ts';
import type { EventHub } from './events.ts';
import type { ExportMethods } from './parts.ts';
import type { SettingsStorePort } from './ports.ts';

const AUTO_SYNC_KEY = 'autoSync';

export interface ExportsPart extends ExportMethods {
  setClient(client: AlegionClient | null, monitor: DonenessMonitor | null): void;
  applySettings(settings: Settings): void;
  close(): Promise<void>;
}

export interface ExportsDeps {
  stateDir: string;
  hub: EventHub;
  store: SettingsStorePort;
  settings: () => Settings;
  now: () => number;
  onReady: (job: ExportJobView) => void;
  onError: (error: unknown) => void;
}

function readAutoSync(store: SettingsStorePort): AutoSyncArgs[] {
  const stored = store.get(AUTO_SYNC_KEY);
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (entry): entry is AutoSyncArgs =>
      !!entry &&
      typeof entry === 'object' &&
      typeof entry.workflowId === 'string' &&
      typeof entry.batchId === 'string',
  );
}

/** Creates the exports part; the export store opens at once (jobs are listed even before connecting). */
export function createExportsPart(deps: ExportsDeps): ExportsPart {
  const jobs = new ExportStore(join(deps.stateDir, EXPORT_STORE_FILE), deps.now);
  const progress = new Map<string, DownloadProgress>();
  const running = new Map<string, AbortController>();
  let runner: ExportRunner | null = null;
  let autoSync: AutoSync | null = null;
  let detachMonitor: (() => void) | null = null;

  const view = (jobId: string): ExportJobView => {
    const job = jobs.getJob(jobId);
    if (!job) throw new EngineError('export-not-found', `no export job ${jobId}`);
    return toJobView(job, job.status === 'downloading' ? progress.get(jobId) : undefined);
  };
  const announce = (jobId: string): void => {
    try {
      deps.hub.emit('exportChanged', view(jobId));
    } catch (error) {
      deps.onError(error);
    }
  };
  const onRunEvent = (event: ExportRunEvent): void => {
    const jobId = event.type === 'job' ? event.job.jobId : event.jobId;
    if (event.type === 'download' && event.event.type === 'progress') {
      const { bytes, totalBytes, bytesPerSecond, etaSeconds } = event.event;
      progress.set(jobId, { bytes, totalBytes, bytesPerSecond, etaSeconds });
    }
    announce(jobId);
  };
  const need = (): ExportRunner => {
    if (!runner)
      throw new EngineError('not-connected', 'not connected: choose a profile or try the sandbox first');
    return runner;
  };
  /** Runs a prepared or recorded job in the background; the promise never rejects. */
  const launch = (jobId: string, work: (signal: AbortSignal) => Promise<unknown>): void => {
    running.get(jobId)?.abort();
    const controller = new AbortController();
    running.set(jobId, controller);
    void work(controller.signal)
      .then(() => {
        const done = view(jobId);
        if (done.status === 'done') deps.onReady(done);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) deps.onError(error);
      })
      .finally(() => {
        if (running.get(jobId) === controller) running.delete(jobId);
        progress.delete(jobId);
        announce(jobId);
      });
  };
  const stopAll = (): void => {
    for (const controller of running.values()) controller.abort();
    running.clear();
    detachMonitor?.();
    detachMonitor = null;
    for (const entry of autoSync?.list() ?? []) autoSync?.disable(entry.batchId);
    autoSync = null;
    runner = null;
  };

  return {
    setClient(client, monitor) {
      stopAll();
      if (!client) return;
      const current = new ExportRunner({ client, store: jobs, onEvent: onRunEvent, now: deps.now });
      runner = current;
      autoSync = new AutoSync({
        intervalMs: deps.settings().autoSyncMinutes * 60_000,
        runExport: (scope, signal) =>
          current.run(
            {
              workflowId: scope.workflowId,
              batchIds: [scope.batchId],
              sinceLast: true,
              format: 'zip',
              outDir: deps.settings().downloadDir,
            },
            signal,
          ),
        onEvent: (event) => {
          if (event.type === 'failed') deps.onError(event.error);
        },
      });
      if (monitor) {
        autoSync.attach(monitor);
        detachMonitor = () => {
          for (const entry of readAutoSync(deps.store)) monitor.untrack(entry.batchId);
        };
      }
      for (const entry of readAutoSync(deps.store)) {
        autoSync.enable(entry.workflowId, entry.batchId);
        monitor?.track(entry.workflowId, entry.batchId);
      }
      // Jobs a previous session left unfinished continue where they stopped.
      for (const job of jobs.listInFlight()) launch(job.jobId, (signal) => current.resume(job.jobId, signal));
    },
    applySettings(settings) {
      autoSync?.setInterval(settings.autoSyncMinutes * 60_000);
    },

    async startExport(input) {
      const args = ExportArgs.parse(input);
      const current = need();
      const { job, resumed } = await current.prepare({
        workflowId: args.workflowId,
        batchIds: args.batchIds,
        format: args.format,
        sinceLast: args.sinceLast,
        ...(args.minCreatedAt ? { minCreatedAt: args.minCreatedAt } : {}),
        ...(args.maxCreatedAt ? { maxCreatedAt: args.maxCreatedAt } : {}),
        outDir: args.destination ?? deps.settings().downloadDir,
        extract: args.extract,
      });
      launch(job.jobId, (signal) => current.execute(job.jobId, resumed, signal));
      return view(job.jobId);
    },
    async listExports() {
      return jobs.listRecent(100).map((job) => toJobView(job, progress.get(job.jobId)));
    },
    async retryExport(jobId) {
      const current = need();
      const before = view(jobId);
      if (before.status === 'done' || before.status === 'canceled') {
        throw new EngineError(
          'export-finished',
          `export ${before.filename} is ${before.status}: start a new one`,
        );
      }
      if (!running.has(jobId)) launch(jobId, (signal) => current.resume(jobId, signal));
      return view(jobId);
    },
    async cancelExport(jobId) {
      view(jobId);
      running.get(jobId)?.abort();
      running.delete(jobId);
      if (runner) await runner.cancel(jobId);
      else jobs.setStatus(jobId, 'canceled');
      announce(jobId);
    },
    async setAutoSync(args) {
      const others = readAutoSync(deps.store).filter((entry) => entry.batchId !== args.batchId);
      deps.store.set(AUTO_SYNC_KEY, args.enabled ? [...others, { ...args, enabled: true }] : others);
      if (args.enabled) autoSync?.enable(args.workflowId, args.batchId);
      else autoSync?.disable(args.batchId);
    },
    async listAutoSync() {
      return readAutoSync(deps.store).map((entry) => ({ ...entry, enabled: true }));
    },
    async close() {
      stopAll();
      jobs.close();
    },
  };
}

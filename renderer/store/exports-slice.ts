/** Export jobs (history and live progress) and the auto-sync switches. */
import type { AutoSyncArgs, BatchView, ExportArgs, ExportJobView, WorkflowView } from '../../common/api.ts';
import { startDownload } from '../download.ts';
import { errorMessage } from '../format.ts';
import type { LoadStatus, SliceCreator } from './types.ts';

export interface ExportsSlice {
  exportJobs: ExportJobView[];
  exportsStatus: LoadStatus;
  exportsError: string | null;
  autoSync: AutoSyncArgs[];
  loadExports: () => Promise<void>;
  /** Starts an export; rejects with the engine's message so the form can show it and keep its input. */
  startExport: (args: ExportArgs) => Promise<ExportJobView>;
  retryExport: (jobId: string) => Promise<void>;
  cancelExport: (jobId: string) => Promise<void>;
  setAutoSync: (args: AutoSyncArgs) => Promise<void>;
  applyExport: (job: ExportJobView) => void;
  showInFolder: (path: string) => Promise<void>;
  /** The files of an extracted export (empty when they could not be listed: the error is shown). */
  listExportFiles: (jobId: string) => Promise<string[] | null>;
  /** Downloads an export's archive, or one of its extracted files, into the browser (the browser host). */
  downloadExportFile: (jobId: string, file?: string) => Promise<void>;
}

/**
 * What an export covers, in names: "Workflow · Batch", "Workflow · A, B and 2 more batches", or "Workflow · all
 * batches". Ids stand in for names not loaded (a workflow or batch since removed).
 */
export function exportScopeLabel(
  workflows: readonly WorkflowView[],
  batches: Readonly<Record<string, readonly BatchView[]>>,
  job: Pick<ExportJobView, 'workflowId' | 'batchIds'>,
): string {
  const workflow =
    workflows.find((w) => w.id === job.workflowId)?.name ?? `Workflow ${job.workflowId.slice(0, 8)}`;
  if (job.batchIds.length === 0) return `${workflow} · all batches`;
  const known = batches[job.workflowId] ?? [];
  const names = job.batchIds.map((id) => known.find((b) => b.id === id)?.name ?? `batch ${id.slice(0, 8)}`);
  if (names.length === 1) return `${workflow} · ${names[0]}`;
  if (names.length === 2) return `${workflow} · ${names[0]} and ${names[1]}`;
  const more = names.length - 2;
  return `${workflow} · ${names[0]}, ${names[1]} and ${more} more ${more === 1 ? 'batch' : 'batches'}`;
}

/** Newest first. */
function upsert(jobs: ExportJobView[], job: ExportJobView): ExportJobView[] {
  const rest = jobs.filter((j) => j.id !== job.id);
  return [job, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Creates the exports slice. */
export const createExportsSlice: SliceCreator<ExportsSlice> = (set, get, { bridge }) => ({
  exportJobs: [],
  exportsStatus: 'idle',
  exportsError: null,
  autoSync: [],

  loadExports: async () => {
    set({ exportsStatus: 'loading', exportsError: null });
    try {
      const [jobs, autoSync] = await Promise.all([bridge.listExports(), bridge.listAutoSync()]);
      set({
        exportJobs: [...jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
        autoSync,
        exportsStatus: 'ready',
      });
    } catch (error) {
      set({ exportsStatus: 'error', exportsError: errorMessage(error) });
    }
  },

  startExport: async (args) => {
    const job = await bridge.startExport(args);
    get().applyExport(job);
    return job;
  },

  retryExport: async (jobId) => {
    try {
      get().applyExport(await bridge.retryExport(jobId));
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
  },

  cancelExport: async (jobId) => {
    try {
      await bridge.cancelExport(jobId);
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
  },

  setAutoSync: async (args) => {
    try {
      await bridge.setAutoSync(args);
      set((s) => ({
        autoSync: args.enabled
          ? [...s.autoSync.filter((a) => a.batchId !== args.batchId), args]
          : s.autoSync.filter((a) => a.batchId !== args.batchId),
      }));
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
  },

  showInFolder: async (path) => {
    try {
      await bridge.showInFolder(path);
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
  },

  listExportFiles: async (jobId) => {
    try {
      return await bridge.listExportFiles(jobId);
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
      return null;
    }
  },

  downloadExportFile: async (jobId, file) => {
    try {
      startDownload(await bridge.offerExportFile(file === undefined ? { jobId } : { jobId, file }));
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
  },

  applyExport: (job) => {
    const before = get().exportJobs.find((j) => j.id === job.id);
    set((s) => ({ exportJobs: upsert(s.exportJobs, job) }));
    if (job.status === 'done' && before && before.status !== 'done') {
      get().pushNotice('info', `Export ${job.filename} is ready.`);
    }
  },
});

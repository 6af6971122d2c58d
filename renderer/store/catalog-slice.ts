/** Workflows, their batches, batch completion and the exception/canceled records of the open batch. */
import type {
  BatchView,
  Completion,
  CreateBatchArgs,
  RecordView,
  SaveRecordsArgs,
  SavedFile,
  WorkflowView,
} from '../../common/api.ts';
import { startDownload } from '../download.ts';
import { errorMessage, formatCount, plural } from '../format.ts';
import type { LoadStatus, SliceCreator } from './types.ts';

export interface RecordsState {
  batchId: string;
  status: LoadStatus;
  items: RecordView[];
  total: number;
  error: string | null;
}

export interface CatalogSlice {
  workflows: WorkflowView[];
  workflowsStatus: LoadStatus;
  workflowsError: string | null;
  /** Batches by workflow id. */
  batches: Record<string, BatchView[]>;
  batchesStatus: Record<string, LoadStatus>;
  /** Latest completion by batch id. */
  completions: Record<string, Completion>;
  records: RecordsState | null;
  loadWorkspace: () => Promise<void>;
  loadBatches: (workflowId: string) => Promise<void>;
  createBatch: (args: CreateBatchArgs) => Promise<BatchView>;
  setBatchEnabled: (batch: BatchView, enabled: boolean) => Promise<void>;
  /** Tracks a batch's completion (events follow); failures are quiet, the batch view retries when opened. */
  followBatch: (workflowId: string, batchId: string) => Promise<void>;
  /** Tracks a batch's completion and lists its exception and canceled records. */
  openBatch: (workflowId: string, batchId: string) => Promise<void>;
  /** Applies a completion pushed by the engine; a batch that just finished raises a desktop notification. */
  applyCompletion: (completion: Completion) => void;
  /** Saves the exception and canceled list as CSV (a download in the browser host); null when it failed. */
  saveRecordsList: (args: SaveRecordsArgs) => Promise<SavedFile | null>;
}

/** Records read per request; the whole list is read page after page, shown as it arrives. */
const RECORDS_PAGE = 500;

/** Creates the catalog slice. */
export const createCatalogSlice: SliceCreator<CatalogSlice> = (set, get, { bridge, notify }) => ({
  workflows: [],
  workflowsStatus: 'idle',
  workflowsError: null,
  batches: {},
  batchesStatus: {},
  completions: {},
  records: null,

  loadWorkspace: async () => {
    set({ workflowsStatus: 'loading', workflowsError: null });
    void get().loadQueueTotals();
    void get().loadExports();
    try {
      const workflows = await bridge.listWorkflows();
      set({ workflows, workflowsStatus: 'ready' });
      await Promise.all(workflows.map((w) => get().loadBatches(w.id)));
    } catch (error) {
      set({ workflowsStatus: 'error', workflowsError: errorMessage(error) });
    }
  },

  loadBatches: async (workflowId) => {
    set((s) => ({ batchesStatus: { ...s.batchesStatus, [workflowId]: 'loading' } }));
    try {
      const list = await bridge.listBatches(workflowId);
      const completions = { ...get().completions };
      for (const b of list) if (b.completion && !completions[b.id]) completions[b.id] = b.completion;
      set((s) => ({
        batches: { ...s.batches, [workflowId]: list },
        batchesStatus: { ...s.batchesStatus, [workflowId]: 'ready' },
        completions,
      }));
    } catch {
      // The sidebar says so in place, with Retry; a toast would repeat it, or repeat the queue's banner when the
      // cause (a rejected key, the network) stops everything.
      set((s) => ({ batchesStatus: { ...s.batchesStatus, [workflowId]: 'error' } }));
    }
  },

  createBatch: async (args) => {
    const batch = await bridge.createBatch(args);
    set((s) => ({
      batches: { ...s.batches, [args.workflowId]: [...(s.batches[args.workflowId] ?? []), batch] },
    }));
    return batch;
  },

  setBatchEnabled: async (batch, enabled) => {
    try {
      const updated = await bridge.setBatchEnabled(batch.id, enabled);
      set((s) => ({
        batches: {
          ...s.batches,
          [batch.workflowId]: (s.batches[batch.workflowId] ?? []).map((b) =>
            b.id === batch.id ? updated : b,
          ),
        },
      }));
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
  },

  followBatch: async (workflowId, batchId) => {
    try {
      get().applyCompletion(await bridge.trackBatch(workflowId, batchId));
    } catch {
      // The batch view shows the error when the batch is opened.
    }
  },

  openBatch: async (workflowId, batchId) => {
    set({ records: { batchId, status: 'loading', items: [], total: 0, error: null } });
    try {
      const completion = await bridge.trackBatch(workflowId, batchId);
      set((s) => ({ completions: { ...s.completions, [batchId]: completion } }));
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
    try {
      let items: RecordView[] = [];
      for (;;) {
        const page = await bridge.listRecords({
          batchId,
          statuses: ['exception', 'canceled'],
          offset: items.length,
          limit: RECORDS_PAGE,
        });
        if (get().records?.batchId !== batchId) return;
        items = [...items, ...page.items];
        set({ records: { batchId, status: 'ready', items, total: page.total, error: null } });
        if (page.items.length < RECORDS_PAGE || items.length >= page.total) break;
      }
    } catch (error) {
      if (get().records?.batchId !== batchId) return;
      set({ records: { batchId, status: 'error', items: [], total: 0, error: errorMessage(error) } });
    }
  },

  saveRecordsList: async (args) => {
    try {
      const file = await bridge.saveRecordsCsv(args);
      const count = plural(file.rows, 'record');
      get().pushNotice(
        'info',
        startDownload(file) ? `Downloading ${file.name} (${count}).` : `Saved ${count} to ${file.path}.`,
      );
      return file;
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
      return null;
    }
  },

  applyCompletion: (completion) => {
    const before = get().completions[completion.batchId];
    set((s) => ({ completions: { ...s.completions, [completion.batchId]: completion } }));
    // Only a batch seen not done before is news: opening one that finished long ago raises nothing.
    const finishedNow = completion.done && before !== undefined && !before.done;
    if (!finishedNow) return;
    const name = findBatchName(get().batches, completion.batchId) ?? 'A batch';
    const body =
      `${plural(completion.results, 'result')}, ${plural(completion.exceptions, 'exception')}, ` +
      `${formatCount(completion.canceled)} canceled.`;
    get().pushNotice('info', `${name} is done: ${body}`);
    if (get().settings?.notifications !== false) notify(`${name} is done`, body);
    const view = get().view;
    if (view.name === 'batch' && view.batchId === completion.batchId)
      void get().openBatch(view.workflowId, view.batchId);
  },
});

/** The name of a batch, looked up across workflows. */
function findBatchName(batches: Record<string, BatchView[]>, batchId: string): string | null {
  for (const list of Object.values(batches)) {
    const hit = list.find((b) => b.id === batchId);
    if (hit) return hit.name;
  }
  return null;
}

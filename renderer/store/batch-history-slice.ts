/**
 * The open batch's history (the transfers that fed it: when, and how many files each sent, failed or canceled),
 * read when the batch opens and again, at most once a second, as the queue changes; and its manifest, saved as
 * CSV or JSONL (a download in the browser host); and the re-send of its canceled records' files to a new batch.
 */
import type {
  BatchTransferView,
  ResendCanceledArgs,
  ResendCanceledResult,
  SaveManifestArgs,
  SavedFile,
} from '../../common/api.ts';
import { startDownload } from '../download.ts';
import { errorMessage } from '../format.ts';
import type { LoadStatus, SliceCreator } from './types.ts';

interface BatchHistoryState {
  batchId: string;
  status: LoadStatus;
  transfers: BatchTransferView[];
  error: string | null;
}

/** A manifest saved: the file, and whether the browser was asked to download it. */
export interface SavedManifest {
  file: SavedFile;
  downloaded: boolean;
}

export interface BatchHistorySlice {
  batchHistory: BatchHistoryState | null;
  /** Reads the batch's history (the list stays as it was while the new one loads). */
  loadBatchHistory: (batchId: string) => Promise<void>;
  /** The queue changed: the open batch's history is read again, at most once a second. */
  refreshBatchHistory: () => void;
  /** Saves the batch's manifest; rejects with the engine's message (the batch view shows it in place). */
  saveBatchManifest: (args: SaveManifestArgs) => Promise<SavedManifest>;
  /**
   * Sends the files of the batch's canceled records into a new batch; the workflow's batches are read again so the
   * new one shows. Rejects with the engine's message (the dialog shows it in place).
   */
  resendCanceled: (args: ResendCanceledArgs) => Promise<ResendCanceledResult>;
}

const REFRESH_MS = 1000;

/** Creates the batch history slice. */
export const createBatchHistorySlice: SliceCreator<BatchHistorySlice> = (set, get, { bridge, later }) => {
  let refreshPending = false;
  return {
    batchHistory: null,

    loadBatchHistory: async (batchId) => {
      const before = get().batchHistory;
      if (before?.batchId !== batchId)
        set({ batchHistory: { batchId, status: 'loading', transfers: [], error: null } });
      try {
        const transfers = await bridge.listBatchTransfers({ batchId });
        if (get().batchHistory?.batchId !== batchId) return;
        set({ batchHistory: { batchId, status: 'ready', transfers, error: null } });
      } catch (error) {
        if (get().batchHistory?.batchId !== batchId) return;
        set({ batchHistory: { batchId, status: 'error', transfers: [], error: errorMessage(error) } });
      }
    },

    refreshBatchHistory: () => {
      const open = (): string | null => {
        const view = get().view;
        return view.name === 'batch' && get().batchHistory?.batchId === view.batchId ? view.batchId : null;
      };
      if (refreshPending || open() === null) return;
      refreshPending = true;
      later(() => {
        refreshPending = false;
        const batchId = open();
        if (batchId) void get().loadBatchHistory(batchId);
      }, REFRESH_MS);
    },

    saveBatchManifest: async (args) => {
      const file = await bridge.saveBatchManifest(args);
      return { file, downloaded: startDownload(file) };
    },

    resendCanceled: async (args) => {
      const result = await bridge.resendCanceled(args);
      if (result.queued > 0) void get().loadBatches(args.workflowId);
      return result;
    },
  };
};

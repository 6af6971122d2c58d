/**
 * Watched folders: the engine's list (pushed whole with every change), and the "Watch a folder" dialog's state, so
 * the folder chosen in the host's folder browser lands in the dialog that asked for it.
 */
import type { WatchedFolderView, WatchFolderArgs } from '../../common/api.ts';
import { errorMessage } from '../format.ts';
import type { LoadStatus, SliceCreator } from './types.ts';

/** The open "Watch a folder" dialog: which batch it watches into, and the folder chosen so far. */
interface WatchDialogState {
  workflowId: string;
  batchId: string;
  folder: string;
}

export interface WatchSlice {
  watches: WatchedFolderView[];
  watchesStatus: LoadStatus;
  watchesError: string | null;
  watchDialog: WatchDialogState | null;
  loadWatches: () => Promise<void>;
  applyWatches: (watches: WatchedFolderView[]) => void;
  /** Opens the dialog for a batch, with the folder empty (typed, or chosen with `chooseWatchFolder`). */
  openWatchDialog: (workflowId: string, batchId: string) => void;
  closeWatchDialog: () => void;
  setWatchFolder: (folder: string) => void;
  /** The native folder chooser where the host has one; otherwise the host's folder browser, to pick a folder. */
  chooseWatchFolder: () => Promise<void>;
  /** Starts the watch; rejects with the engine's message (the dialog shows it and keeps what was typed). */
  watchFolder: (args: WatchFolderArgs) => Promise<void>;
  stopWatching: (watchId: string) => Promise<void>;
}

/** Creates the watch slice. */
export const createWatchSlice: SliceCreator<WatchSlice> = (set, get, { bridge }) => ({
  watches: [],
  watchesStatus: 'idle',
  watchesError: null,
  watchDialog: null,

  loadWatches: async () => {
    set({ watchesStatus: 'loading', watchesError: null });
    try {
      set({ watches: await bridge.listWatchedFolders(), watchesStatus: 'ready' });
    } catch (error) {
      set({ watchesStatus: 'error', watchesError: errorMessage(error) });
    }
  },

  applyWatches: (watches) => set({ watches, watchesStatus: 'ready', watchesError: null }),

  openWatchDialog: (workflowId, batchId) => set({ watchDialog: { workflowId, batchId, folder: '' } }),
  closeWatchDialog: () => set({ watchDialog: null }),
  setWatchFolder: (folder) => {
    const dialog = get().watchDialog;
    if (dialog) set({ watchDialog: { ...dialog, folder } });
  },

  chooseWatchFolder: async () => {
    if (!get().hostInfo?.nativeDialogs) {
      await get().openBrowser(get().browser.listing?.path ?? null, 'watch');
      return;
    }
    try {
      const [folder] = await bridge.chooseFolder();
      if (folder) get().setWatchFolder(folder);
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
  },

  watchFolder: async (args) => {
    const view = await bridge.watchFolder(args);
    // The event brings the list too; this keeps the new folder visible even if the event is late.
    const others = get().watches.filter((w) => w.id !== view.id);
    set({ watches: [...others, view], watchDialog: null });
    get().pushNotice('info', `Watching ${view.folder}: new files go to this batch once complete.`);
  },

  stopWatching: async (watchId) => {
    try {
      await bridge.stopWatching(watchId);
      set({ watches: get().watches.filter((w) => w.id !== watchId) });
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
    }
  },
});

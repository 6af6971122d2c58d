/**
 * The item details dialog: which queue item is open, its details once loaded, and the refresh while it is open
 * (a retry in progress adds attempts to the history as they happen).
 */
import type { ItemDetails, ItemThumbnail } from '../../common/api.ts';
import { errorMessage } from '../format.ts';
import type { LoadStatus, SliceCreator } from './types.ts';

/** The open dialog: the item's id, and its details as last loaded (kept while a refresh is under way). */
export interface OpenItemDetails {
  id: number;
  status: LoadStatus;
  details: ItemDetails | null;
  error: string | null;
}

export interface ItemDetailsSlice {
  /** Null while the dialog is closed. */
  itemDetails: OpenItemDetails | null;
  /** Opens the dialog on an item and loads its details. */
  openItemDetails: (id: number) => Promise<void>;
  /** Loads the open item's details again (the error look's "Try again"). */
  reloadItemDetails: () => Promise<void>;
  /** The queue changed: the open item's details are read again, at most once a second. */
  refreshItemDetails: () => void;
  closeItemDetails: () => void;
  /** The preview of an image in the queue, or why there is none (a failure to ask says so in words). */
  loadThumbnail: (id: number) => Promise<ItemThumbnail>;
}

/** Least time between two refreshes caused by queue changes. */
const DETAILS_REFRESH_MS = 1000;

/** Creates the item details slice. */
export const createItemDetailsSlice: SliceCreator<ItemDetailsSlice> = (set, get, deps) => {
  // Each load has a number: an answer that arrives after the dialog moved on (closed, or another item) is dropped.
  let loadSeq = 0;
  let refreshPending = false;

  const load = async (id: number, quiet: boolean): Promise<void> => {
    const seq = ++loadSeq;
    if (!quiet) set({ itemDetails: { id, status: 'loading', details: null, error: null } });
    try {
      const details = await deps.bridge.getItemDetails({ id });
      if (seq !== loadSeq || get().itemDetails?.id !== id) return;
      set({ itemDetails: { id, status: 'ready', details, error: null } });
    } catch (error) {
      if (seq !== loadSeq || get().itemDetails?.id !== id) return;
      // A refresh that fails keeps what was shown; a first load shows the error look.
      const shown = get().itemDetails;
      if (quiet && shown?.details) return;
      set({ itemDetails: { id, status: 'error', details: null, error: errorMessage(error) } });
    }
  };

  return {
    itemDetails: null,
    openItemDetails: (id) => load(id, false),
    loadThumbnail: async (id) => {
      try {
        return await deps.bridge.getItemThumbnail({ id });
      } catch (error) {
        return { unavailable: `No preview: ${errorMessage(error)}` };
      }
    },
    reloadItemDetails: async () => {
      const open = get().itemDetails;
      if (open) await load(open.id, false);
    },
    refreshItemDetails: () => {
      const open = get().itemDetails;
      if (!open || open.status !== 'ready' || refreshPending) return;
      refreshPending = true;
      deps.later(() => {
        refreshPending = false;
        const current = get().itemDetails;
        if (current && current.status === 'ready') void load(current.id, true);
      }, DETAILS_REFRESH_MS);
    },
    closeItemDetails: () => {
      loadSeq += 1;
      set({ itemDetails: null });
    },
  };
};

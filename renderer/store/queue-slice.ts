/**
 * The upload queue as the renderer sees it: the pages around the visible window, the totals, and progress for
 * the visible rows. Progress snapshots are coalesced to one store update per frame; list changes refetch only
 * the visible pages, at most twice a second.
 */
import type {
  ItemIdsArgs,
  ProgressSnapshot,
  QueueItemView,
  QueueSort,
  QueueTotals,
  StateGroup,
} from '../../common/api.ts';
import { errorMessage, plural } from '../format.ts';
import { mergeProgress, PAGE_SIZE, pagesFor, prunePages, reusePage, visibleIds } from './queue-pages.ts';
import type { ActiveProgress } from './queue-pages.ts';
import type { LoadStatus, SliceCreator } from './types.ts';

export type QueueCommand = 'pause' | 'resume' | 'cancel' | 'retry';

export interface QueueSlice {
  /** State groups shown; empty means all. */
  queueGroups: StateGroup[];
  queueSearch: string;
  /** The transfer whose files the list shows; null: every file. */
  queueTransferId: number | null;
  queueSort: { column: QueueSort; descending: boolean };
  queuePages: Record<number, QueueItemView[]>;
  queueTotal: number;
  /** Loading state of the first page for the current filter. */
  queueStatus: LoadStatus;
  queueError: string | null;
  queueRange: { start: number; end: number };
  totals: QueueTotals | null;
  progress: Record<number, ActiveProgress>;
  loadQueueTotals: () => Promise<void>;
  setQueueGroups: (groups: StateGroup[]) => void;
  setQueueSearch: (search: string) => void;
  /** Sorts by a column: a first click ascending, the next descending, the third back to the order added. */
  sortQueue: (column: QueueSort) => void;
  /** Folds a transfer open (the list shows its files, of `groups` when given), or closes it (null). */
  openTransfer: (id: number | null, groups?: StateGroup[]) => void;
  /** The virtual list reports the rows it shows; missing pages are fetched, far ones dropped. */
  setQueueRange: (start: number, end: number) => void;
  /** Fetches the visible pages again (after items changed state). */
  refreshQueue: () => void;
  /** Takes a progress snapshot; the latest one per frame is applied. */
  receiveProgress: (snapshot: ProgressSnapshot) => void;
  /** Items changed: refetch, throttled. */
  receiveQueueChanged: () => void;
  queueCommand: (command: QueueCommand, ids?: number[]) => Promise<void>;
  /** Takes finished adds out of the list, and says how many files went. */
  clearFinished: () => Promise<void>;
}

const REFRESH_THROTTLE_MS = 500;

/** Creates the queue slice. */
export const createQueueSlice: SliceCreator<QueueSlice> = (set, get, { bridge, schedule, later }) => {
  let generation = 0;
  const inflight = new Set<string>();
  let pendingSnapshot: ProgressSnapshot | null = null;
  let refreshPending = false;
  let lastRefresh = 0;

  const fetchPage = async (page: number, force: boolean): Promise<void> => {
    const gen = generation;
    const key = `${gen}:${page}`;
    if (inflight.has(key) || (!force && get().queuePages[page])) return;
    inflight.add(key);
    const { queueGroups, queueSearch, queueTransferId, queueSort } = get();
    try {
      const result = await bridge.listQueue({
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        groups: queueGroups.length ? queueGroups : undefined,
        search: queueSearch.trim() || undefined,
        transferId: queueTransferId ?? undefined,
        ...(queueSort.column === 'added' && !queueSort.descending
          ? {}
          : { sort: queueSort.column, descending: queueSort.descending }),
      });
      if (gen !== generation) return;
      set((s) => {
        const items = reusePage(s.queuePages[page], result.items);
        const unchanged =
          items === s.queuePages[page] && s.queueTotal === result.total && s.queueStatus === 'ready';
        if (unchanged) return s;
        return {
          queuePages: items === s.queuePages[page] ? s.queuePages : { ...s.queuePages, [page]: items },
          queueTotal: result.total,
          queueStatus: 'ready',
          queueError: null,
        };
      });
    } catch (error) {
      if (gen !== generation) return;
      set({ queueStatus: 'error', queueError: errorMessage(error) });
    } finally {
      inflight.delete(key);
    }
  };

  const resetList = (): void => {
    generation += 1;
    set({ queuePages: {}, queueStatus: 'loading', queueError: null, progress: {} });
    const { start, end } = get().queueRange;
    for (const p of pagesFor(start, Math.max(end, start))) void fetchPage(p, true);
  };

  const applySnapshot = (): void => {
    const snapshot = pendingSnapshot;
    pendingSnapshot = null;
    if (!snapshot) return;
    const { queuePages, queueRange, progress } = get();
    const next = mergeProgress(
      progress,
      snapshot.active,
      visibleIds(queuePages, queueRange.start, queueRange.end),
    );
    set(next === progress ? { totals: snapshot.totals } : { totals: snapshot.totals, progress: next });
  };

  return {
    queueGroups: [],
    queueSearch: '',
    queueTransferId: null,
    queueSort: { column: 'added', descending: false },
    queuePages: {},
    queueTotal: 0,
    queueStatus: 'idle',
    queueError: null,
    queueRange: { start: 0, end: 30 },
    totals: null,
    progress: {},

    loadQueueTotals: async () => {
      try {
        set({ totals: await bridge.getQueueTotals() });
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
      }
    },

    setQueueGroups: (groups) => {
      set({ queueGroups: groups });
      resetList();
    },

    setQueueSearch: (search) => {
      if (search === get().queueSearch) return;
      set({ queueSearch: search });
      resetList();
    },

    sortQueue: (column) => {
      const { queueSort } = get();
      const again = queueSort.column === column;
      set({
        queueSort:
          again && queueSort.descending
            ? { column: 'added', descending: false }
            : { column, descending: again },
      });
      resetList();
    },

    openTransfer: (id, groups) => {
      set({ queueTransferId: id, ...(groups ? { queueGroups: groups } : {}) });
      resetList();
    },

    setQueueRange: (start, end) => {
      const visible = pagesFor(start, end);
      set((s) => ({ queueRange: { start, end }, queuePages: prunePages(s.queuePages, visible) }));
      if (get().queueStatus === 'idle') set({ queueStatus: 'loading' });
      for (const p of visible) void fetchPage(p, false);
    },

    refreshQueue: () => {
      lastRefresh = Date.now();
      const { start, end } = get().queueRange;
      for (const p of pagesFor(start, end)) void fetchPage(p, true);
      if (get().queueStatus === 'idle') set({ queueStatus: 'loading' });
    },

    receiveProgress: (snapshot) => {
      const first = pendingSnapshot === null;
      pendingSnapshot = snapshot;
      if (first) schedule(applySnapshot);
    },

    receiveQueueChanged: () => {
      if (refreshPending) return;
      const wait = Math.max(0, lastRefresh + REFRESH_THROTTLE_MS - Date.now());
      refreshPending = true;
      later(() => {
        refreshPending = false;
        get().refreshQueue();
        void get().loadQueueTotals();
        void get().loadTransfers();
      }, wait);
    },

    queueCommand: async (command, ids) => {
      const args: ItemIdsArgs = ids ? { ids } : {};
      try {
        if (command === 'pause') await bridge.pauseItems(args);
        else if (command === 'resume') await bridge.resumeItems(args);
        else if (command === 'cancel') await bridge.cancelItems(args);
        else await bridge.retryItems(args);
        get().receiveQueueChanged();
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
      }
    },

    clearFinished: async () => {
      try {
        const { cleared } = await bridge.clearFinished();
        get().pushNotice(
          'info',
          cleared > 0
            ? `Cleared ${plural(cleared, 'finished file')} from the list.`
            : 'Nothing to clear: every add still has files waiting, under way or failed.',
        );
        set({ queueTransferId: null });
        resetList();
        void get().loadQueueTotals();
        void get().loadTransfers();
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
      }
    },
  };
};

/**
 * The queue as transfers (one per add): their own progress, refreshed with the queue and at most once a second
 * from progress; the one open shows its files in the list; a summary notice when one ends; the history of
 * transfers "Clear finished" took out of the list.
 */
import type { TransferView } from '../../common/api.ts';
import { errorMessage, formatCount, plural } from '../format.ts';
import type { SliceCreator } from './types.ts';

export interface TransfersSlice {
  transfers: TransferView[];
  /** Cleared transfers, once the history was asked for; null while it is not shown. */
  transferHistory: TransferView[] | null;
  loadTransfers: () => Promise<void>;
  /** Progress arrived: the transfers' speeds are read again, at most once a second. */
  transfersTick: () => void;
  showTransferHistory: (on: boolean) => Promise<void>;
  /** Retries the failed files of one transfer. */
  retryTransfer: (id: number) => Promise<void>;
  /** Raises, lowers or (null) removes a transfer's record limit; returns false when it was refused. */
  setRecordLimit: (id: number, maxRecords: number | null) => Promise<boolean>;
}

/** The sentence of a transfer stopped by its record limit, or null while it is not. */
export function limitReached(transfer: TransferView): string | null {
  const limit = transfer.recordLimit;
  const { files } = transfer.counts;
  if (!limit || limit.held === 0 || files.waiting + files.active > 0) return null;
  return `Limit of ${plural(limit.maxRecords, 'record')} reached; ${plural(limit.held, 'file')} left in the queue`;
}

const TICK_MS = 1000;

/** "photos: 38 done, 1 skipped, 2 failed" — the summary a transfer ends with. */
export function transferSummary(transfer: TransferView): string {
  const { files } = transfer.counts;
  const parts = [`${formatCount(files.done)} done`];
  if (files.skipped > 0) parts.push(`${formatCount(files.skipped)} skipped`);
  if (files.canceled > 0) parts.push(`${formatCount(files.canceled)} canceled`);
  parts.push(`${formatCount(files.failed)} failed`);
  return parts.join(', ');
}

/** Creates the transfers slice. */
export const createTransfersSlice: SliceCreator<TransfersSlice> = (set, get, { bridge, later }) => {
  let lastTick = 0;
  let tickPending = false;
  /** Transfers seen under way: only those announce their end (not every finished one at start-up). */
  const underWay = new Set<number>();
  /**
   * Transfers listed so far, and whether the list was loaded once: a transfer that first shows up already
   * finished after that began and ended between two loads (a small add is that quick), and announces its end too.
   */
  const known = new Set<number>();
  let loadedOnce = false;
  /** Transfers whose record limit stop was announced (again only after the limit changes). */
  const limitSaid = new Set<number>();

  return {
    transfers: [],
    transferHistory: null,

    loadTransfers: async () => {
      try {
        const transfers = await bridge.listTransfers({});
        lastTick = Date.now();
        for (const transfer of transfers) {
          const stopped = limitReached(transfer);
          if (stopped && underWay.has(transfer.id) && !limitSaid.has(transfer.id)) {
            limitSaid.add(transfer.id);
            get().pushNotice('info', `Transfer “${transfer.label}”: ${stopped}.`);
          }
          if (!stopped) limitSaid.delete(transfer.id);
          const isNew = loadedOnce && !known.has(transfer.id);
          known.add(transfer.id);
          if (!transfer.finished) underWay.add(transfer.id);
          else if (underWay.delete(transfer.id) || isNew) {
            const failed = transfer.counts.files.failed > 0;
            get().pushNotice(
              failed ? 'warning' : 'info',
              `Transfer “${transfer.label}” finished: ${transferSummary(transfer)}.`,
            );
          }
        }
        loadedOnce = true;
        // A transfer that did not move keeps its object, so only the rows of those that did render again.
        const before = new Map(get().transfers.map((t) => [t.id, t]));
        const kept = transfers.map((t) => {
          const old = before.get(t.id);
          return old && JSON.stringify(old) === JSON.stringify(t) ? old : t;
        });
        const same = kept.length === before.size && kept.every((t, i) => t === get().transfers[i]);
        if (!same) set({ transfers: kept });
        if (get().transferHistory !== null)
          set({ transferHistory: await bridge.listTransfers({ history: true }) });
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
      }
    },

    transfersTick: () => {
      if (tickPending) return;
      tickPending = true;
      later(
        () => {
          tickPending = false;
          void get().loadTransfers();
        },
        Math.max(0, lastTick + TICK_MS - Date.now()),
      );
    },

    showTransferHistory: async (on) => {
      if (!on) return set({ transferHistory: null });
      try {
        set({ transferHistory: await bridge.listTransfers({ history: true }) });
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
      }
    },

    setRecordLimit: async (id, maxRecords) => {
      try {
        await bridge.setRecordLimit({ transferId: id, maxRecords });
        get().receiveQueueChanged();
        void get().loadTransfers();
        return true;
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
        return false;
      }
    },

    retryTransfer: async (id) => {
      try {
        await bridge.retryTransfer({ transferId: id });
        get().receiveQueueChanged();
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
      }
    },
  };
};

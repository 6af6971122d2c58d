/**
 * The queue as transfers (one per add): their own progress, refreshed with the queue and at most once a second
 * from progress; the one open shows its files in the list; a summary notice when one ends; the history of
 * transfers "Clear finished" took out of the list.
 */
import type { StateGroup, TransferView } from '../../common/api.ts';
import { errorMessage, formatCount } from '../format.ts';
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

/** The groups a summary links to, in its order. */
export const SUMMARY_GROUPS: readonly StateGroup[] = ['done', 'skipped', 'failed'];

/** Creates the transfers slice. */
export const createTransfersSlice: SliceCreator<TransfersSlice> = (set, get, { bridge, later }) => {
  let lastTick = 0;
  let tickPending = false;
  /** Transfers seen under way: only those announce their end (not every finished one at start-up). */
  const underWay = new Set<number>();

  return {
    transfers: [],
    transferHistory: null,

    loadTransfers: async () => {
      try {
        const transfers = await bridge.listTransfers({});
        lastTick = Date.now();
        for (const transfer of transfers) {
          if (!transfer.finished) underWay.add(transfer.id);
          else if (underWay.delete(transfer.id)) {
            const failed = transfer.counts.files.failed > 0;
            get().pushNotice(
              failed ? 'warning' : 'info',
              `Transfer “${transfer.label}” finished: ${transferSummary(transfer)}.`,
            );
          }
        }
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

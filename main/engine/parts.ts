/**
 * The slices of the contract that the engine delegates to a service: the upload queue and the exports. Each is
 * an object implementing those methods, swapped when the connection changes.
 */
import type { AlegionApi, QueueCounts, QueueTotals } from '../../common/api.ts';

export type QueueMethods = Pick<
  AlegionApi,
  | 'scanPaths'
  | 'getScan'
  | 'planScan'
  | 'queueScan'
  | 'discardScan'
  | 'planRecordsFile'
  | 'addRecordsFile'
  | 'listQueue'
  | 'getQueueTotals'
  | 'pauseItems'
  | 'resumeItems'
  | 'cancelItems'
  | 'retryItems'
  | 'clearFinished'
  | 'listWorkflowUse'
  | 'listTransfers'
  | 'retryTransfer'
  | 'listBatchTransfers'
  | 'setRecordLimit'
  | 'getItemDetails'
  | 'getItemThumbnail'
>;

/** Totals of an empty queue. */
export function emptyTotals(
  mode: QueueTotals['mode'] = 'running',
  message: string | null = null,
): QueueTotals {
  const counts = (): QueueCounts => ({
    files: { waiting: 0, active: 0, done: 0, failed: 0, paused: 0, canceled: 0, skipped: 0, total: 0 },
    bytes: { total: 0, done: 0 },
  });
  return {
    ...counts(),
    work: counts(),
    throughput: 0,
    etaSeconds: null,
    mode,
    message,
  };
}

/**
 * The slices of the contract that the engine delegates to a service: the upload queue and the exports. Each is
 * an object implementing those methods, swapped when the connection changes.
 */
import type { AlegionApi, ParsedApi, QueueCounts, QueueTotals } from '../../common/api.ts';

/** The contract's methods the queue part implements. */
export const QUEUE_METHOD_NAMES = [
  'scanPaths',
  'getScan',
  'planScan',
  'queueScan',
  'discardScan',
  'planRecordsFile',
  'addRecordsFile',
  'listQueue',
  'getQueueTotals',
  'pauseItems',
  'resumeItems',
  'cancelItems',
  'retryItems',
  'clearFinished',
  'listWorkflowUse',
  'listTransfers',
  'retryTransfer',
  'listBatchTransfers',
  'setRecordLimit',
  'getItemDetails',
  'getItemThumbnail',
] as const satisfies readonly (keyof AlegionApi)[];

export type QueueMethods = Pick<ParsedApi, (typeof QUEUE_METHOD_NAMES)[number]>;

/** The named methods of a part, each calling the part (so a host sees exactly the contract's methods). */
export function methodsOf<T extends object, K extends keyof T>(part: T, names: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const name of names) {
    const method = part[name];
    picked[name] = (typeof method === 'function' ? method.bind(part) : method) as T[K];
  }
  return picked;
}

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

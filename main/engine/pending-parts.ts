/**
 * What the queue and exports answer while their service is not wired for this engine: empty listings, and a clear
 * refusal for anything that would start work.
 */
import { EngineError } from './errors.ts';
import { emptyTotals } from './parts.ts';
import type { ExportMethods, QueueMethods } from './parts.ts';

const refuse = (what: string) => async (): Promise<never> => {
  throw new EngineError('unavailable', `${what} are not available on this host`);
};

/** A queue that is empty and accepts nothing. */
export function unavailableQueue(): QueueMethods {
  return {
    scanPaths: refuse('uploads'),
    getScan: refuse('uploads'),
    queueScan: refuse('uploads'),
    discardScan: async () => {},
    addRecordsFile: refuse('uploads'),
    listQueue: async (query) => ({ items: [], total: 0, offset: query.offset ?? 0 }),
    getQueueTotals: async () => emptyTotals(),
    pauseItems: async () => {},
    resumeItems: async () => {},
    cancelItems: async () => {},
    retryItems: async () => {},
  };
}

/** Exports that list nothing and start nothing. */
export function unavailableExports(): ExportMethods {
  return {
    startExport: refuse('exports'),
    listExports: async () => [],
    retryExport: refuse('exports'),
    cancelExport: refuse('exports'),
    setAutoSync: refuse('exports'),
    listAutoSync: async () => [],
  };
}

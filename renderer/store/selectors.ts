/** Derived values the views show, as pure functions of store values (unit-tested, reused across views). */
import type { BatchView, Completion, QueueCounts, QueueTotals } from '../../common/api.ts';

/** Uploads not final yet: what the offline banner says is waiting. */
export function pendingCount(totals: QueueTotals): number {
  const f = totals.files;
  return f.waiting + f.active + f.paused;
}

/** Files that count toward "uploaded of total" (canceled and skipped ones never will). */
export function countedFiles(totals: QueueCounts): number {
  return totals.files.total - totals.files.canceled - totals.files.skipped;
}

/** A batch's records and how many are final, from its completion when tracked, otherwise from its counts. */
export function batchProgress(
  batch: BatchView,
  completion: Completion | null | undefined,
): { records: number; final: number; done: boolean } {
  if (completion) return { records: completion.records, final: completion.final, done: completion.done };
  const c = batch.counts;
  const records = c.complete + c.inProgress + c.queued + c.adminReview + c.exceptions + c.canceled;
  return { records, final: c.complete + c.exceptions + c.canceled, done: false };
}

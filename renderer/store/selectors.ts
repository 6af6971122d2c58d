/** Derived values the views show, as pure functions of store values (unit-tested, reused across views). */
import type { QueueCounts, QueueTotals } from '../../common/api.ts';

/** Uploads not final yet: what the offline banner says is waiting. */
export function pendingCount(totals: QueueTotals): number {
  const f = totals.files;
  return f.waiting + f.active + f.paused;
}

/** Files that count toward "uploaded of total" (canceled and skipped ones never will). */
export function countedFiles(totals: QueueCounts): number {
  return totals.files.total - totals.files.canceled - totals.files.skipped;
}

/**
 * Batch completion ("doneness") as the tutorial defines it: a batch is done when its results plus its exception
 * and canceled tasks account for every record sent into it. Pure: the counts come from `probe.ts`.
 */
import type { BatchCounts } from '../../common/alegion.ts';

/** The raw counts of one batch, as read from the API. */
export interface CompletionCounts {
  workflowId: string;
  batchId: string;
  /** Records in the batch (`X-Total-Count` of its records listing). */
  records: number;
  /** Results available for the batch (`X-Total-Count` of the results listing). */
  results: number;
  /** Records in status exception or canceled (`X-Total-Count` with `status=exception,canceled`). */
  exceptionOrCanceled: number;
  /** The batch's count fields from `GET /workflows/{id}/batches`, when the batch was found there. */
  batchCounts?: BatchCounts;
  /** Records the caller knows it sent (the upload engine); the larger of this and `records` is used. */
  expectedRecords?: number;
}

/** What the monitor reports for a batch. */
export interface CompletionSnapshot {
  workflowId: string;
  batchId: string;
  records: number;
  results: number;
  exceptionOrCanceled: number;
  /** Records accounted for: results + exception + canceled, never more than `records`. */
  final: number;
  /** Records still being worked. */
  remaining: number;
  /** `final / records` in percent, one decimal (0 for an empty batch). */
  percentFinal: number;
  /** True when results + exception + canceled >= records, for a batch that has records. */
  done: boolean;
  batchCounts: BatchCounts | undefined;
}

/**
 * Computes the completion of one batch. An empty batch is not done (records may still be on their way), and a
 * count of results above the records (re-worked tasks) never shows more than 100 %.
 */
export function computeCompletion(counts: CompletionCounts): CompletionSnapshot {
  const records = Math.max(counts.records, counts.expectedRecords ?? 0);
  const accounted = counts.results + counts.exceptionOrCanceled;
  const final = Math.min(records, accounted);
  const percentFinal = records === 0 ? 0 : Math.floor((final / records) * 1000) / 10;
  return {
    workflowId: counts.workflowId,
    batchId: counts.batchId,
    records,
    results: counts.results,
    exceptionOrCanceled: counts.exceptionOrCanceled,
    final,
    remaining: records - final,
    percentFinal,
    done: records > 0 && accounted >= records,
    batchCounts: counts.batchCounts,
  };
}

/** True when two snapshots report the same numbers (what "changed" means for the monitor's events). */
export function sameCompletion(a: CompletionSnapshot | undefined, b: CompletionSnapshot): boolean {
  if (a === undefined) return false;
  if (
    a.records !== b.records ||
    a.results !== b.results ||
    a.exceptionOrCanceled !== b.exceptionOrCanceled ||
    a.done !== b.done
  ) {
    return false;
  }
  if (a.batchCounts === undefined || b.batchCounts === undefined) return a.batchCounts === b.batchCounts;
  const before = a.batchCounts;
  const after = b.batchCounts;
  return (Object.keys(after) as (keyof BatchCounts)[]).every((field) => before[field] === after[field]);
}

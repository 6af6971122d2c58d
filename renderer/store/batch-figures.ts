/**
 * Every figure shown for a batch, derived from one snapshot: its completion when tracked (records, results,
 * exceptions, canceled and its count fields all read together), otherwise its listed counts. The sidebar and the
 * batch view both read these, so no two places on screen can show the same figure differently.
 */
import type { BatchCounts } from '../../common/alegion.ts';
import type { BatchView, Completion } from '../../common/api.ts';
import { formatCount, formatPercent } from '../format.ts';

interface BatchFigures {
  /** Records the batch holds. */
  records: number;
  /** Files of this app still on their way to the batch (not records yet). */
  coming: number;
  /** Records there will be once every file on its way is sent: records + coming. */
  expected: number;
  results: number;
  exceptions: number;
  canceled: number;
  /** results + exceptions + canceled, never more than the records. */
  final: number;
  done: boolean;
  counts: BatchCounts;
  /** "489 of 2,000 sent · 66% of those final", or "489 records · 66% final" when nothing more is coming. */
  summary: string;
}

/** The records a batch's count fields add up to (archived ones are no longer in the batch). */
function recordsOf(c: BatchCounts): number {
  return c.complete + c.inProgress + c.queued + c.adminReview + c.exceptions + c.canceled;
}

/** The figures of a batch, from its completion when there is one. */
export function batchFigures(batch: BatchView, completion: Completion | null | undefined): BatchFigures {
  const c = batch.counts;
  const base = completion
    ? {
        records: completion.records,
        coming: completion.coming,
        results: completion.results,
        exceptions: completion.exceptions,
        canceled: completion.canceled,
        final: completion.final,
        done: completion.done,
        counts: completion.counts,
      }
    : {
        records: recordsOf(c),
        coming: 0,
        results: c.complete,
        exceptions: c.exceptions,
        canceled: c.canceled,
        final: c.complete + c.exceptions + c.canceled,
        done: false,
        counts: c,
      };
  const coming = Math.max(0, base.coming);
  const expected = base.records + coming;
  const summary =
    coming > 0
      ? `${formatCount(base.records)} of ${formatCount(expected)} sent · ${formatPercent(base.final, base.records)} of those final`
      : `${formatCount(base.records)} ${base.records === 1 ? 'record' : 'records'} · ${formatPercent(base.final, base.records)} final`;
  return { ...base, coming, expected, done: base.done && coming === 0, summary };
}

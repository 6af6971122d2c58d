/**
 * The completion bar of a batch: complete, exception, canceled and not-final-yet segments, with a label that
 * reads the same counts aloud. The batch view shows it large with a legend; the sidebar shows it thin.
 */
import { formatCount } from '../format.ts';

/** The final counts of a batch against the records it holds. */
interface CompletionCounts {
  records: number;
  results: number;
  exceptions: number;
  canceled: number;
}

/** Segment widths in percent; they always add up to exactly 100. */
export interface CompletionSplit {
  complete: number;
  exception: number;
  canceled: number;
  pending: number;
}

/** A count as a whole number in 0–`max`; anything not finite counts as 0. */
function clampCount(n: number, max: number): number {
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(Math.floor(n), max);
}

/**
 * Splits the bar into its four segments. Counts past the records are cut so the segments never overflow, and
 * the widths are rounded at cumulative edges (in tenths of a percent) so their sum is 100 with no drift; no
 * records means an all-pending bar, never NaN.
 */
export function completionSplit(counts: CompletionCounts): CompletionSplit {
  const records = Number.isFinite(counts.records) && counts.records > 0 ? Math.floor(counts.records) : 0;
  if (records === 0) return { complete: 0, exception: 0, canceled: 0, pending: 100 };
  const complete = clampCount(counts.results, records);
  const exception = clampCount(counts.exceptions, records - complete);
  const canceled = clampCount(counts.canceled, records - complete - exception);
  const edge = (n: number): number => Math.round((n / records) * 1000);
  const e1 = edge(complete);
  const e2 = edge(complete + exception);
  const e3 = edge(complete + exception + canceled);
  return {
    complete: e1 / 10,
    exception: (e2 - e1) / 10,
    canceled: (e3 - e2) / 10,
    pending: (1000 - e3) / 10,
  };
}

/** What the bar says to a screen reader: "7 complete, 10 exceptions, 7 canceled of 24 records". */
export function completionLabel(counts: CompletionCounts): string {
  const records = Number.isFinite(counts.records) && counts.records > 0 ? counts.records : 0;
  return (
    `${formatCount(counts.results)} complete, ${formatCount(counts.exceptions)} ` +
    `${counts.exceptions === 1 ? 'exception' : 'exceptions'}, ${formatCount(counts.canceled)} canceled ` +
    `of ${formatCount(records)} ${records === 1 ? 'record' : 'records'}`
  );
}

/** The legend under the large bar; the sidebar's thin bar uses the same colours without repeating it. */
function CompletionLegend() {
  return (
    <div className="row wrap small muted" aria-hidden="true">
      <span className="legend-dot complete" /> Complete
      <span className="legend-dot exception" /> Exception
      <span className="legend-dot canceled" /> Canceled
      <span className="legend-dot pending" /> Not final yet
    </div>
  );
}

/** The split completion bar; `large` with `legend` for the batch view, thin for the sidebar. */
export function CompletionBar({
  counts,
  large,
  legend,
}: {
  counts: CompletionCounts;
  large?: boolean;
  legend?: boolean;
}) {
  const split = completionSplit(counts);
  const label = completionLabel(counts);
  // A span, not a div: in the sidebar the bar sits inside a button, which holds phrasing content only.
  const bar = (
    <span
      className={large ? 'bar large' : 'bar'}
      role="img"
      aria-label={label}
      title={label}
      data-testid="completion-bar"
    >
      <span className="complete" style={{ width: `${split.complete}%` }} />
      <span className="exception" style={{ width: `${split.exception}%` }} />
      <span className="canceled" style={{ width: `${split.canceled}%` }} />
    </span>
  );
  if (!legend) return bar;
  return (
    <div className="stack" style={{ gap: 6 }}>
      {bar}
      <CompletionLegend />
    </div>
  );
}

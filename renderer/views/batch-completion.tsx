/**
 * A batch's completion card and its remaining count fields, every figure from one snapshot (`batchFigures`):
 * records sent against the files still coming, results, exceptions, canceled, and the split bar. The count fields
 * the card already shows are not repeated below it, so no figure appears twice.
 */
import { COUNT_FIELDS } from '../../common/api.ts';
import type { BatchView, Completion } from '../../common/api.ts';
import type { BatchCountField } from '../../common/alegion.ts';
import { CompletionBar } from '../components/completion-bar.tsx';
import { formatCount, formatDateTime } from '../format.ts';
import { batchFigures } from '../store/batch-figures.ts';
import { LabelingEstimate } from './labeling-estimate.tsx';

const COUNT_LABELS: Record<BatchCountField, string> = {
  complete: 'Complete',
  inProgress: 'In progress',
  queued: 'Queued',
  archived: 'Archived',
  archiving: 'Archiving',
  adminReview: 'Admin review',
  content: 'Content',
  exceptions: 'Exceptions',
  canceled: 'Canceled',
};

/** Shown in the completion card above (as results, exceptions and canceled). */
const IN_CARD: readonly BatchCountField[] = ['complete', 'exceptions', 'canceled'];

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="stat">
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>
        {formatCount(value)}
      </div>
    </div>
  );
}

/** The completion card and the batch's other count fields. */
export function BatchCompletion({ batch, completion }: { batch: BatchView; completion: Completion | null }) {
  const figures = batchFigures(batch, completion);
  const { records, coming, expected, results, exceptions, canceled, counts } = figures;
  return (
    <>
      <section className="card stack" aria-label="Completion">
        <div className="totals">
          <Stat label="Records sent" value={records} testId="records-sent" />
          {coming > 0 && <Stat label="Files still to send" value={coming} testId="files-coming" />}
          <Stat label="Results available" value={results} testId="results-available" />
          <Stat label="Exceptions" value={exceptions} testId="exceptions-total" />
          <Stat label="Canceled" value={canceled} testId="canceled-total" />
        </div>
        <CompletionBar counts={{ records: expected, results, exceptions, canceled }} large legend />
        <p className="small muted num" data-testid="batch-completion-summary">
          {completion
            ? `${figures.summary} · updated ${formatDateTime(completion.updatedAt)}`
            : 'Waiting for the first completion check…'}
        </p>
        {!figures.done && <LabelingEstimate estimate={completion?.estimate} />}
      </section>
      <section className="stack" aria-labelledby="counts-title">
        <h2 id="counts-title">Batch counts</h2>
        <div className="counts">
          {COUNT_FIELDS.filter((field) => !IN_CARD.includes(field)).map((field) => (
            <div className="count" key={field}>
              <div className="label">{COUNT_LABELS[field]}</div>
              <div className="value" data-testid={`count-${field}`}>
                {formatCount(counts[field])}
              </div>
            </div>
          ))}
        </div>
      </section>
    </>
  );
}

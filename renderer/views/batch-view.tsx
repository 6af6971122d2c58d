/**
 * One batch: every count field, records sent against results, exceptions and canceled, a completion bar split
 * three ways, "Done" when everything is final, and the exception and canceled records with their metadata.
 */
import { COUNT_FIELDS } from '../../common/api.ts';
import type { BatchCountField } from '../../common/alegion.ts';
import { CompletionBar } from '../components/completion-bar.tsx';
import { ErrorState, LoadingState, EmptyState } from '../components/panel-state.tsx';
import { formatCount, formatDateTime, formatPercent } from '../format.ts';
import { actions, useApp } from '../store/index.ts';

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

function RecordsTable({ workflowId, batchId }: { workflowId: string; batchId: string }) {
  const records = useApp((s) => (s.records?.batchId === batchId ? s.records : null));
  if (!records || records.status === 'loading')
    return <LoadingState label="Loading exception and canceled records…" />;
  if (records.status === 'error') {
    return (
      <ErrorState
        title="Records did not load"
        message={records.error ?? ''}
        onRetry={() => void actions().openBatch(workflowId, batchId)}
      />
    );
  }
  if (records.items.length === 0) {
    return (
      <EmptyState title="No exception or canceled records">
        Every final record in this batch has a result.
      </EmptyState>
    );
  }
  return (
    <>
      <table data-testid="records-table">
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Status</th>
            <th scope="col">Metadata</th>
            <th scope="col">Asset</th>
            <th scope="col" className="num">
              Created
            </th>
          </tr>
        </thead>
        <tbody>
          {records.items.map((r) => (
            <tr key={r.id}>
              <td className="mono">{r.id}</td>
              <td>
                <span className={r.status === 'exception' ? 'badge failed' : 'badge'}>{r.status}</span>
              </td>
              <td
                className="mono"
                style={{ maxWidth: 280, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                title={r.metadata ?? undefined}
              >
                {r.metadata ?? '—'}
              </td>
              <td className="mono">{r.assetId ?? '—'}</td>
              <td className="num">{formatDateTime(r.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {records.total > records.items.length && (
        <p className="small muted">
          Showing the first {formatCount(records.items.length)} of {formatCount(records.total)}. The export
          has them all.
        </p>
      )}
    </>
  );
}

/** The batch screen. */
export function BatchScreen({ workflowId, batchId }: { workflowId: string; batchId: string }) {
  const batch = useApp((s) => s.batches[workflowId]?.find((b) => b.id === batchId));
  const workflow = useApp((s) => s.workflows.find((w) => w.id === workflowId));
  const completion = useApp((s) => s.completions[batchId] ?? null);
  const autoSync = useApp((s) => s.autoSync.some((a) => a.batchId === batchId && a.enabled));
  if (!batch) return <LoadingState label="Loading the batch…" />;
  const counts = completion?.counts ?? batch.counts;
  const records = completion?.records ?? 0;
  const results = completion?.results ?? counts.complete;
  const exceptions = completion?.exceptions ?? counts.exceptions;
  const canceled = completion?.canceled ?? counts.canceled;
  return (
    <>
      <div className="view-head">
        <div style={{ flex: 1, minWidth: 200 }}>
          <p className="small muted">{workflow?.name}</p>
          <h1>{batch.name}</h1>
        </div>
        {completion?.done && (
          <span className="done-flag" role="status" data-testid="batch-done">
            ✓ Done
          </span>
        )}
        <label className="switch">
          <input
            type="checkbox"
            checked={batch.isEnabled}
            onChange={(e) => void actions().setBatchEnabled(batch, e.target.checked)}
          />
          Enabled
        </label>
        <label className="switch">
          <input
            type="checkbox"
            checked={autoSync}
            onChange={(e) => void actions().setAutoSync({ workflowId, batchId, enabled: e.target.checked })}
          />
          Auto-sync results
        </label>
        <button type="button" onClick={() => actions().navigate({ name: 'exports' })}>
          Export…
        </button>
      </div>
      <section className="card stack" aria-label="Completion">
        <div className="totals">
          <div className="stat">
            <div className="label">Records sent</div>
            <div className="value" data-testid="records-sent">
              {formatCount(records)}
            </div>
          </div>
          <div className="stat">
            <div className="label">Results available</div>
            <div className="value" data-testid="results-available">
              {formatCount(results)}
            </div>
          </div>
          <div className="stat">
            <div className="label">Exceptions</div>
            <div className="value" data-testid="exceptions-total">
              {formatCount(exceptions)}
            </div>
          </div>
          <div className="stat">
            <div className="label">Canceled</div>
            <div className="value" data-testid="canceled-total">
              {formatCount(canceled)}
            </div>
          </div>
        </div>
        <CompletionBar counts={{ records, results, exceptions, canceled }} large legend />
        <p className="small muted num">
          {completion
            ? `${formatPercent(completion.final, records)} final · updated ${formatDateTime(completion.updatedAt)}`
            : 'Waiting for the first completion check…'}
        </p>
      </section>
      <section className="stack" aria-labelledby="counts-title">
        <h2 id="counts-title">Batch counts</h2>
        <div className="counts">
          {COUNT_FIELDS.map((field) => (
            <div className="count" key={field}>
              <div className="label">{COUNT_LABELS[field]}</div>
              <div className="value" data-testid={`count-${field}`}>
                {formatCount(counts[field])}
              </div>
            </div>
          ))}
        </div>
      </section>
      <section className="stack" aria-labelledby="records-title">
        <h2 id="records-title">Exception and canceled records</h2>
        <RecordsTable workflowId={workflowId} batchId={batchId} />
      </section>
    </>
  );
}

/**
 * One batch: every count field, records sent against results, exceptions and canceled, a completion bar split
 * three ways, "Done" when everything is final, and the exception and canceled records with their files and metadata.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { COUNT_FIELDS } from '../../common/api.ts';
import type { BatchView, RecordView } from '../../common/api.ts';
import type { BatchCountField } from '../../common/alegion.ts';
import { CompletionBar } from '../components/completion-bar.tsx';
import { ErrorState, LoadingState, EmptyState } from '../components/panel-state.tsx';
import { formatCount, formatDateTime, formatPercent, shortenFolder } from '../format.ts';
import type { RecordsState } from '../store/catalog-slice.ts';
import { actions, useApp } from '../store/index.ts';
import { WatchedFoldersSection } from './watch-folders.tsx';

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

/** The platform's record statuses as people read them. */
export function statusLabel(status: string): string {
  if (status === 'exception') return 'Exception';
  if (status === 'canceled') return 'Canceled';
  const words = status.replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One exception or canceled record: its file (when this app uploaded it), status, id, metadata, time. */
export function RecordRow({ record }: { record: RecordView }) {
  return (
    <tr>
      <td className="record-file" title={record.assetId ? `Asset ${record.assetId}` : undefined}>
        {record.fileName ? (
          <>
            <div className="record-file-name">{record.fileName}</div>
            {record.folder && (
              <div className="small muted record-folder" title={record.folder}>
                {shortenFolder(record.folder)}
              </div>
            )}
          </>
        ) : (
          <span className="small muted mono">{record.assetId ? `Asset ${record.assetId}` : 'No file'}</span>
        )}
      </td>
      <td>
        <span className={record.status === 'exception' ? 'badge failed' : 'badge'}>
          {statusLabel(record.status)}
        </span>
      </td>
      <td className="mono small record-id">{record.id}</td>
      <td className="mono record-metadata" title={record.metadata ?? undefined}>
        {record.metadata ?? <span className="muted">—</span>}
      </td>
      <td className="num">{formatDateTime(record.createdAt)}</td>
    </tr>
  );
}

/** The records section as its state says: loading, failed, none yet, none final without a result, or the table. */
export function RecordsPanel({
  records,
  empty,
  done,
  onRetry,
}: {
  records: RecordsState | null;
  /** The batch holds no records at all yet. */
  empty: boolean;
  done: boolean;
  onRetry: () => void;
}) {
  if (!records || records.status === 'loading')
    return <LoadingState label="Loading exception and canceled records…" />;
  if (records.status === 'error') {
    return <ErrorState title="Records did not load" message={records.error ?? ''} onRetry={onRetry} />;
  }
  if (records.items.length === 0 && empty) {
    // Like every "Add files…" (the native chooser where there is one); the add dialog then starts on the batch
    // being viewed, so the files go straight here.
    return (
      <EmptyState
        title="No records in this batch yet"
        action={
          <button type="button" className="primary" onClick={() => actions().startAdding()}>
            Add files…
          </button>
        }
      >
        Files you add to it become its records; exceptions and canceled ones are listed here.
      </EmptyState>
    );
  }
  if (records.items.length === 0) {
    return (
      <EmptyState title="No exception or canceled records">
        {done
          ? 'Every final record in this batch has a result.'
          : 'None so far: records that end as an exception or are canceled are listed here.'}
      </EmptyState>
    );
  }
  return (
    <>
      <table data-testid="records-table" className="records-table">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Status</th>
            <th scope="col">Record</th>
            <th scope="col">Metadata</th>
            <th scope="col" className="num">
              Created
            </th>
          </tr>
        </thead>
        <tbody>
          {records.items.map((r) => (
            <RecordRow key={r.id} record={r} />
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

function RecordsTable(props: { workflowId: string; batchId: string; empty: boolean; done: boolean }) {
  const { workflowId, batchId, empty, done } = props;
  const records = useApp((s) => (s.records?.batchId === batchId ? s.records : null));
  return (
    <RecordsPanel
      records={records}
      empty={empty}
      done={done}
      onRetry={() => void actions().openBatch(workflowId, batchId)}
    />
  );
}

/**
 * "Labelers can work on it": turning it on is immediate; turning it off asks first, in place, since labelers then
 * get nothing more from the batch until it is turned back on.
 */
function EnabledSwitch({ batch, head }: { batch: BatchView; head: (toggle: ReactNode) => ReactNode }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const switchRef = useRef<HTMLInputElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keepRef.current?.focus();
  }, [confirming]);
  const apply = async (enabled: boolean): Promise<void> => {
    setBusy(true);
    try {
      await actions().setBatchEnabled(batch, enabled);
    } finally {
      setBusy(false);
      setConfirming(false);
      switchRef.current?.focus();
    }
  };
  const cancel = (): void => {
    setConfirming(false);
    switchRef.current?.focus();
  };
  const toggle = (
    <label className="switch">
      <input
        ref={switchRef}
        type="checkbox"
        role="switch"
        checked={batch.isEnabled}
        disabled={busy}
        aria-describedby={confirming ? 'disable-confirm-text' : undefined}
        onChange={(e) => (e.target.checked ? void apply(true) : setConfirming(true))}
      />
      Labelers can work on it
    </label>
  );
  // The question goes under the heading row, so the row's other controls stay where they were.
  return (
    <>
      {head(toggle)}
      {confirming && (
        <div
          className="inline-confirm"
          role="group"
          aria-label="Turn off the batch"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              cancel();
            }
          }}
        >
          <p id="disable-confirm-text">
            Turn off “{batch.name}”? Labelers get none of its records until it is turned back on.
          </p>
          <button type="button" ref={keepRef} onClick={cancel} disabled={busy}>
            Keep it on
          </button>
          <button type="button" className="danger" onClick={() => void apply(false)} disabled={busy}>
            {busy ? 'Turning off…' : 'Turn off'}
          </button>
        </div>
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
  const head = (toggle: ReactNode) => (
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
      {toggle}
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={autoSync}
          onChange={(e) => void actions().setAutoSync({ workflowId, batchId, enabled: e.target.checked })}
        />
        Auto-sync results
      </label>
      <button type="button" onClick={() => actions().navigate({ name: 'exports', workflowId, batchId })}>
        Export…
      </button>
    </div>
  );
  return (
    <>
      <EnabledSwitch batch={batch} head={head} />
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
      <WatchedFoldersSection workflowId={workflowId} batch={batch} />
      <section className="stack" aria-labelledby="records-title">
        <h2 id="records-title">Exception and canceled records</h2>
        <RecordsTable
          workflowId={workflowId}
          batchId={batchId}
          empty={completion ? records === 0 : COUNT_FIELDS.every((field) => counts[field] === 0)}
          done={completion?.done ?? false}
        />
      </section>
    </>
  );
}

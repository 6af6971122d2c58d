/**
 * One batch: every count field, records sent against results, exceptions and canceled, a completion bar split
 * three ways, "Done" when everything is final, the exception and canceled records with their files and metadata, the
 * transfers that fed the batch, and its manifest; the files of its canceled records can be re-sent to a new batch.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { COUNT_FIELDS } from '../../common/api.ts';
import type { BatchView } from '../../common/api.ts';
import { LoadingState } from '../components/panel-state.tsx';
import { batchFigures } from '../store/batch-figures.ts';
import { actions, useApp } from '../store/index.ts';
import { BatchCompletion } from './batch-completion.tsx';
import { BatchHistory } from './batch-history.tsx';
import { BatchIds } from './batch-ids.tsx';
import { BatchManifest } from './batch-manifest.tsx';
import { RecordsPanel } from './batch-records.tsx';
import { ResendCanceled } from './resend-canceled.tsx';
import { WatchedFoldersSection } from './watch-folders.tsx';

function RecordsTable(props: {
  workflowId: string;
  batchId: string;
  batchName: string;
  empty: boolean;
  done: boolean;
}) {
  const { workflowId, batchId, batchName, empty, done } = props;
  const records = useApp((s) => (s.records?.batchId === batchId ? s.records : null));
  return (
    <RecordsPanel
      records={records}
      empty={empty}
      done={done}
      batchName={batchName}
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
  const head = (toggle: ReactNode) => (
    <div className="view-head">
      <div style={{ flex: 1, minWidth: 200 }}>
        <p className="small muted">{workflow?.name}</p>
        <h1>{batch.name}</h1>
        <BatchIds batch={batch} />
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
      <BatchCompletion batch={batch} completion={completion} />
      <WatchedFoldersSection workflowId={workflowId} batch={batch} />
      <section className="stack" aria-labelledby="records-title">
        <h2 id="records-title">Exception and canceled records</h2>
        <ResendCanceled
          workflowId={workflowId}
          batch={batch}
          canceled={batchFigures(batch, completion).canceled}
        />
        <RecordsTable
          workflowId={workflowId}
          batchId={batchId}
          batchName={batch.name}
          empty={completion ? records === 0 : COUNT_FIELDS.every((field) => counts[field] === 0)}
          done={completion?.done ?? false}
        />
      </section>
      <BatchHistory batchId={batchId} />
      <BatchManifest workflowId={workflowId} batchId={batchId} batchName={batch.name} />
    </>
  );
}

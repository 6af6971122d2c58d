/**
 * "Re-send N canceled files…" in the batch view: the files behind the batch's canceled records go again into a new
 * batch (they may have been fixed since). The dialog asks the new batch's name, keeps it on an error, then says
 * what was queued and lists each file that could not be, with its reason.
 */
import { useState } from 'react';
import type { BatchView, ResendCanceledResult } from '../../common/api.ts';
import { BatchNameField, useBatchNameForm } from '../components/batch-name-field.tsx';
import { Dialog } from '../components/dialog.tsx';
import { baseName, plural } from '../format.ts';
import { actions } from '../store/index.ts';

/** The name offered for the new batch. */
function resentBatchName(batchName: string): string {
  return `${batchName} — re-sent`;
}

/** What the re-send did, in words, with the files it could not queue. */
function ResendOutcome({ result }: { result: ResendCanceledResult }) {
  return (
    <div className="stack">
      <p className="inline-result ok" role="status" data-testid="resend-result">
        Queued {plural(result.queued, 'file')} into {result.batchName}.
        {result.alreadyQueued > 0 &&
          ` ${plural(result.alreadyQueued, 'file')} had been queued into it before and ${result.alreadyQueued === 1 ? 'was' : 'were'} not sent again.`}
      </p>
      {result.notQueued.length > 0 && (
        <>
          <h3 id="resend-skipped-title">Not queued ({result.notQueued.length})</h3>
          <ul aria-labelledby="resend-skipped-title" className="stack small">
            {result.notQueued.map((skip) => (
              <li key={skip.recordId}>
                <strong>{skip.path ? baseName(skip.path) : `Record ${skip.recordId}`}</strong>
                {skip.path && <span className="muted"> {skip.path}</span>}: {skip.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The button (shown while the batch has canceled records) and its dialog. */
export function ResendCanceled({
  workflowId,
  batch,
  canceled,
}: {
  workflowId: string;
  batch: BatchView;
  canceled: number;
}) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<ResendCanceledResult | null>(null);
  const form = useBatchNameForm(async (newBatchName) => {
    setResult(await actions().resendCanceled({ workflowId, batchId: batch.id, newBatchName }));
  });
  if (canceled === 0 && !open) return null;
  const start = (): void => {
    form.setName(resentBatchName(batch.name));
    setResult(null);
    setOpen(true);
  };
  const close = (): void => setOpen(false);
  return (
    <div className="row wrap">
      <button type="button" onClick={start}>
        Re-send {plural(canceled, 'canceled file')}…
      </button>
      <Dialog
        open={open}
        title="Re-send canceled files"
        onClose={close}
        footer={
          result ? (
            <button type="button" className="primary" onClick={close}>
              Done
            </button>
          ) : (
            <>
              <button type="button" onClick={close}>
                Cancel
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => void form.submit()}
                disabled={form.busy}
              >
                {form.busy ? 'Queuing…' : 'Re-send'}
              </button>
            </>
          )
        }
      >
        {result ? (
          <ResendOutcome result={result} />
        ) : (
          <>
            <p>
              The files of the {plural(canceled, 'canceled record')} in “{batch.name}” are sent again, as they
              are on disk now, into a new batch.
            </p>
            <BatchNameField label="New batch name" form={form} />
          </>
        )}
      </Dialog>
    </div>
  );
}

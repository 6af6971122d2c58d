/**
 * "What happened to this file": a queue item's state, where it goes, and its history of attempts and errors, in a
 * dialog opened from the file's name in the queue. Escape closes it and focus returns to the name.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { ItemDetails, ItemHistoryEntry } from '../../common/api.ts';
import { CopyableId } from '../components/copy-button.tsx';
import { Dialog } from '../components/dialog.tsx';
import { ErrorState, LoadingState } from '../components/panel-state.tsx';
import { formatBytes, formatCount, plural } from '../format.ts';
import { reasonText } from '../reason-text.ts';
import { actions, useApp } from '../store/index.ts';
import type { OpenItemDetails } from '../store/item-details-slice.ts';
import { ItemPreview } from './item-preview.tsx';
import { KIND_LABELS, STATE_LABELS, badgeClass } from './queue-row.tsx';
import { LabelingFact } from './labeling-outcome.tsx';
import './item-details.css';

/** What a person calls each step an attempt can fail in (the journal records where the item stood). */
const STEP_LABELS: Record<string, string> = {
  intake: 'Checking the file',
  queued: 'Checking the file',
  probed: 'Registering',
  registering: 'Registering',
  registered: 'Uploading',
  uploading: 'Uploading',
  uploaded: 'Verifying',
  closed: 'Sending record',
  recording: 'Sending record',
  record: 'Sending record',
  recorded: 'Finishing',
};

const timeFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** An ISO time in local time, to the second (retries are seconds apart); an unparsable one reads as "—". */
export function formatLocalTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '—' : timeFormat.format(new Date(t));
}

/** The step an entry failed in, in words. */
export function stepLabel(step: string): string {
  return STEP_LABELS[step] ?? step;
}

const rateFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A video's frame rate as the details show it: "29.97 fps", or "29.87 fps (variable; average)". */
function frameRateText(video: NonNullable<ItemDetails['video']>): string {
  return `${rateFormat.format(video.fps)} fps${video.variable ? ' (variable; average)' : ''}`;
}

function Fact({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{children}</dd>
    </>
  );
}

function Summary({ details }: { details: ItemDetails }) {
  const { item } = details;
  const failed = item.state === 'failed' || item.state === 'skipped';
  return (
    <dl className="item-facts">
      <Fact label="Upload">
        <span className={badgeClass(item.state)}>{STATE_LABELS[item.state]}</span>
      </Fact>
      {details.labeling && <LabelingFact outcome={details.labeling} />}
      {failed && item.error && (
        <Fact label="Reason">
          <span className="item-reason" data-testid="item-reason">
            {reasonText(item.error)}
          </span>
        </Fact>
      )}
      <Fact label="Type">{item.kind === null ? '—' : KIND_LABELS[item.kind]}</Fact>
      <Fact label="Size">
        <span className="num">{formatBytes(item.size)}</span>
      </Fact>
      {item.kind !== 'record' && (
        <Fact label="Sent">
          <span className="num">
            {formatBytes(item.bytesSent)} of {formatBytes(item.size)}
          </span>
        </Fact>
      )}
      <Fact label="File" mono>
        {item.path}
      </Fact>
      {item.kind === 'image' && (
        <Fact label="Preview">
          <ItemPreview id={item.id} name={item.name} />
        </Fact>
      )}
      {details.video && (
        <>
          <Fact label="Frame rate">
            <span className="num" data-testid="item-frame-rate">
              {frameRateText(details.video)}
            </span>
          </Fact>
          <Fact label="Frames">
            <span className="num">{formatCount(details.video.frameCount)}</span>
          </Fact>
        </>
      )}
      <Fact label="Workflow">{details.workflowName ?? <span className="mono">{item.workflowId}</span>}</Fact>
      <Fact label="Batch">
        {details.batchName ?? (item.batchId ? null : 'not created yet')}
        {details.batchName && item.batchId && ' · '}
        {item.batchId && <CopyableId value={item.batchId} what="batch id" />}
      </Fact>
      {item.assetId && (
        <Fact label="Asset id">
          <CopyableId value={item.assetId} what="asset id" />
        </Fact>
      )}
      {(item.recordId ?? details.labeling?.recordId) && (
        <Fact label="Record id">
          <CopyableId value={(item.recordId ?? details.labeling?.recordId) as string} what="record id" />
        </Fact>
      )}
      <Fact label="Queued">
        <time dateTime={details.queuedAt}>{formatLocalTime(details.queuedAt)}</time>
      </Fact>
      <Fact label="Last change">
        <time dateTime={item.updatedAt}>{formatLocalTime(item.updatedAt)}</time>
      </Fact>
    </dl>
  );
}

function HistoryRow({ entry }: { entry: ItemHistoryEntry }) {
  return (
    <tr data-testid="history-entry">
      <td className="when">
        <time dateTime={entry.at}>{formatLocalTime(entry.at)}</time>
      </td>
      <td className="num">{formatCount(entry.attempt)}</td>
      <td className="step">{stepLabel(entry.step)}</td>
      <td className="message">{reasonText(entry.message)}</td>
    </tr>
  );
}

function History({ details }: { details: ItemDetails }) {
  const { history, historyTotal, item } = details;
  if (history.length === 0) {
    return (
      <p className="item-history-empty muted" role="status">
        {item.state === 'done'
          ? 'The upload had no error: every step went through on its first try.'
          : 'Nothing has gone wrong with this upload so far.'}
      </p>
    );
  }
  return (
    <>
      <p className="muted small" data-testid="history-summary">
        {historyTotal === 1
          ? 'One try of this file ended in an error.'
          : `${formatCount(historyTotal)} tries of this file ended in an error.`}
        {historyTotal > history.length &&
          ` The latest ${plural(history.length, 'entry', 'entries')} are shown.`}
      </p>
      <div className="item-history-scroll">
        <table className="item-history">
          <caption className="visually-hidden">Attempts and errors, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col" className="num">
                Attempt
              </th>
              <th scope="col">Step</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {history.map((entry) => (
              <HistoryRow key={`${entry.attempt}-${entry.at}`} entry={entry} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The dialog's body for each look: loading, error, and the details (with their empty-history look). */
export function ItemDetailsContent({ open }: { open: OpenItemDetails }) {
  const { details } = open;
  return (
    <>
      {open.status === 'loading' && <LoadingState label="Reading this file's history…" />}
      {open.status === 'error' && (
        <ErrorState
          title="Could not show this file"
          message={open.error ?? 'No reason was given.'}
          onRetry={() => void actions().reloadItemDetails()}
        />
      )}
      {details && (
        <div className="item-details">
          <Summary details={details} />
          <section aria-labelledby="item-history-title" className="stack">
            <h3 id="item-history-title">History</h3>
            <History details={details} />
          </section>
        </div>
      )}
    </>
  );
}

/** The dialog; closed while no item is open. Mounted once in the workspace. */
export function ItemDetailsDialog() {
  const open = useApp((s) => s.itemDetails);
  const opener = useRef<HTMLElement | null>(null);
  const isOpen = open !== null;
  // A layout effect runs before the dialog's own effect shows it modally: the control that opened it still has focus.
  useLayoutEffect(() => {
    if (isOpen)
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, [isOpen]);
  // A passive effect runs after the dialog's own has closed it (the page behind is no longer inert). When the
  // queue re-rendered the row meanwhile (the file changed state under a filter), the control with the same
  // accessible name takes the focus instead.
  useEffect(() => {
    if (isOpen) return;
    const back = opener.current;
    opener.current = null;
    if (!back) return;
    const label = back.getAttribute('aria-label');
    const target = back.isConnected
      ? back
      : Array.from(document.querySelectorAll<HTMLElement>('.qrow button')).find(
          (button) => label !== null && button.getAttribute('aria-label') === label,
        );
    target?.focus();
  }, [isOpen]);
  const details = open?.details ?? null;
  const close = (): void => actions().closeItemDetails();
  const canRetry = details?.item.state === 'failed';
  return (
    <Dialog
      open={isOpen}
      title={details ? details.item.name : 'File details'}
      onClose={close}
      wide
      focusableBody
      footer={
        <>
          {canRetry && details && (
            <button type="button" onClick={() => void actions().queueCommand('retry', [details.item.id])}>
              Retry this file
            </button>
          )}
          <button type="button" className="primary" onClick={close}>
            Close
          </button>
        </>
      }
    >
      {open && <ItemDetailsContent open={open} />}
    </Dialog>
  );
}

/**
 * One row of the queue. It reads its own item and its own progress from the store, so a progress snapshot
 * re-renders only the rows whose numbers moved.
 */
import { memo, useEffect, useState } from 'react';
import { HELD_REASON, STATE_GROUPS } from '../../common/api.ts';
import type { ItemState, QueueItemView } from '../../common/api.ts';
import { ProgressBar } from '../components/progress-bar.tsx';
import { formatBytes, formatSpeed, ratio, addedFrom } from '../format.ts';
import { reasonText } from '../reason-text.ts';
import { actions, useApp } from '../store/index.ts';
import { itemAt } from '../store/queue-pages.ts';

const ACTIVE: readonly ItemState[] = STATE_GROUPS.active;
const WAITING: readonly ItemState[] = STATE_GROUPS.waiting;

export const STATE_LABELS: Record<ItemState, string> = {
  queued: 'Waiting',
  probed: 'Ready',
  registering: 'Registering',
  registered: 'Starting',
  uploading: 'Uploading',
  uploaded: 'Verifying',
  closed: 'Sending record',
  recording: 'Sending record',
  recorded: 'Finishing',
  done: 'Done',
  failed: 'Failed',
  paused: 'Paused',
  canceled: 'Canceled',
  skipped: 'Skipped',
};

export const KIND_LABELS: Record<NonNullable<QueueItemView['kind']>, string> = {
  image: 'Image',
  video: 'Video',
  text: 'Document',
  record: 'Record',
};

/** The badge class of a state. */
export function badgeClass(state: ItemState): string {
  if (ACTIVE.includes(state)) return 'badge active';
  if (state === 'done') return 'badge done';
  if (state === 'failed') return 'badge failed';
  if (state === 'paused') return 'badge paused';
  return 'badge';
}

/** One per-row control; its accessible name says which file it acts on. */
function RowAction({
  label,
  name,
  accessibleName,
  look,
  onClick,
}: {
  label: string;
  name: string;
  accessibleName?: string;
  /** `main`: the row's next step (Retry, Resume), a bordered button; the others read as quieter links. */
  look?: 'main' | 'danger';
  onClick: () => void;
}) {
  const className = look === 'main' ? 'small' : look === 'danger' ? 'ghost small danger' : 'ghost small';
  return (
    <button
      type="button"
      className={className}
      onClick={onClick}
      aria-label={accessibleName ?? `${label} ${name}`}
    >
      {label}
    </button>
  );
}

function RowActions({ item, state }: { item: QueueItemView; state: ItemState }) {
  const act = (command: 'pause' | 'resume' | 'cancel' | 'retry') => () =>
    void actions().queueCommand(command, [item.id]);
  const canPause = ACTIVE.includes(state) || WAITING.includes(state);
  return (
    <div className="row-actions">
      <RowAction
        label="Details"
        name={item.name}
        accessibleName={`Details for ${item.name}`}
        onClick={() => void actions().openItemDetails(item.id)}
      />
      {canPause && <RowAction label="Pause" name={item.name} onClick={act('pause')} />}
      {state === 'paused' && (
        <RowAction label="Resume" name={item.name} look="main" onClick={act('resume')} />
      )}
      {state === 'failed' && <RowAction label="Retry" name={item.name} look="main" onClick={act('retry')} />}
      {(canPause || state === 'paused' || state === 'failed') && (
        <RowAction label="Cancel" name={item.name} look="danger" onClick={act('cancel')} />
      )}
    </div>
  );
}

/** "Retrying (attempt 3 of 8, in 4 s): <reason>", counting down: a clock only in the rows that wait to retry. */
function retryText(retry: NonNullable<QueueItemView['retry']>, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(retry.at) - now) / 1000));
  const when = seconds > 0 ? `in ${seconds} s` : 'now';
  const reason = retry.reason ? `: ${reasonText(retry.reason).replace(/\.$/, '')}` : '';
  return `Retrying (attempt ${retry.attempt} of ${retry.of}, ${when})${reason}`;
}

function RetryNote({ retry }: { retry: NonNullable<QueueItemView['retry']> }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <>{retryText(retry, now)}</>;
}

interface QueueRowProps {
  index: number;
  top: number;
  focused: boolean;
}

/** A row at a position of the filtered list; a skeleton while its page loads. */
export const QueueRow = memo(function QueueRow({ index, top, focused }: QueueRowProps) {
  const item = useApp((s) => itemAt(s.queuePages, index));
  const progress = useApp((s) => (item ? s.progress[item.id] : undefined));
  // Offline or blocked: rows caught mid-step are on hold until the queue can move again.
  const held = useApp((s) => s.totals?.mode === 'offline' || s.totals?.mode === 'blocked');
  const selected = useApp((s) => (item ? s.selectedIds.includes(item.id) : false));
  const style = { transform: `translateY(${top}px)` };
  if (!item) {
    return (
      <div
        className="qrow qgrid"
        role="row"
        aria-rowindex={index + 2}
        style={style}
        data-index={index}
        tabIndex={focused ? 0 : -1}
      >
        <div role="cell" className="cell">
          <div className="skeleton" />
        </div>
      </div>
    );
  }
  const state = progress?.state ?? item.state;
  const sent = progress?.bytesSent ?? item.bytesSent;
  const size = progress?.size ?? item.size;
  const speed = progress?.speed ?? item.speed;
  // Held by its upload's record limit: paused, with the reason (failed and skipped files have theirs).
  const heldByLimit = state === 'paused' && item.error === HELD_REASON;
  const problem =
    (state === 'failed' || state === 'skipped' || heldByLimit) && item.error ? reasonText(item.error) : '';
  const onHold = held && ACTIVE.includes(state);
  // Waiting out the backoff of a failed try: not uploading, whatever step it will try again.
  const retry = !onHold && !progress ? item.retry : null;
  const active = ACTIVE.includes(state) && !onHold && !retry;
  return (
    <div
      className={selected ? 'qrow qgrid selected' : 'qrow qgrid'}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      style={style}
      data-index={index}
      data-testid="queue-row"
      data-state={state}
      tabIndex={focused ? 0 : -1}
    >
      <div role="cell" className="cell file" title={item.path}>
        {/* A plain span, not a button: 100,000 rows scroll faster without one. The row's Details button (and
            Enter on the row) do the same for the keyboard. */}
        <span className="name item-link" onClick={() => void actions().openItemDetails(item.id)}>
          {item.name}
        </span>
        <span className="path">{addedFrom(item.path, item.name)}</span>
      </div>
      <div role="cell" className="cell">
        {/* No kind: not probed yet, or skipped for an unsupported type. */}
        {item.kind === null ? '—' : KIND_LABELS[item.kind]}
      </div>
      <div role="cell" className="cell num">
        {formatBytes(item.size)}
      </div>
      <div role="cell" className="cell state">
        <span className={onHold || retry ? 'badge paused' : badgeClass(state)}>
          {onHold ? 'On hold' : retry ? 'Retrying' : heldByLimit ? 'Held' : STATE_LABELS[state]}
        </span>
        {active && <ProgressBar value={ratio(sent, size)} label={`${item.name} progress`} />}
      </div>
      <div role="cell" className="cell num">
        {active ? formatSpeed(speed) : ''}
      </div>
      <div
        role="cell"
        className={problem || retry ? 'cell error has-error' : 'cell error'}
        title={problem || (retry?.reason ? reasonText(retry.reason) : undefined)}
        data-testid={item.error ? 'row-error' : retry ? 'row-retry' : undefined}
      >
        {retry ? <RetryNote retry={retry} /> : problem}
      </div>
      <div role="cell" className="cell">
        <RowActions item={item} state={state} />
      </div>
    </div>
  );
});

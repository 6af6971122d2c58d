/**
 * The queue's transfers, one per add, newest first: each with its own progress, speed, time left and counts, a
 * button that folds it open (the list below shows its files), and once it ends its summary (done, skipped,
 * failed: each one click from its files) with Retry failed. A history lists the transfers cleared from the list.
 */
import { memo, useEffect } from 'react';
import type { StateGroup, TransferView } from '../../common/api.ts';
import { ProgressBar } from '../components/progress-bar.tsx';
import { formatCount, formatDateTime, formatDuration, formatSpeed, plural, ratio } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import { countedFiles } from '../store/selectors.ts';
import { limitReached, transferSummary } from '../store/transfers-slice.ts';
import { LimitReachedNote, RecordLimitForm } from './record-limit-reached.tsx';

/** How a transfer is named: what was added, and where it goes. */
function useTransferTitle(transfer: TransferView): string {
  const batchName = useApp((s) =>
    transfer.workflowId && transfer.batchId
      ? s.batches[transfer.workflowId]?.find((b) => b.id === transfer.batchId)?.name
      : undefined,
  );
  const into = transfer.newBatchName ?? batchName;
  return into ? `${transfer.label} → ${into}` : transfer.label;
}

/** What a transfer under way says: files done, speed, time left. */
function progressText(transfer: TransferView, mode: string | undefined): string {
  const { files } = transfer.counts;
  const done = `${formatCount(files.done)} of ${plural(countedFiles(transfer.counts), 'file')}`;
  if (mode === 'paused' || (files.paused > 0 && files.active + files.waiting === 0))
    return `${done} · paused`;
  if (transfer.speed <= 0) return `${done} · waiting`;
  const left = transfer.etaSeconds === null ? 'estimating' : `${formatDuration(transfer.etaSeconds)} left`;
  return `${done} · ${formatSpeed(transfer.speed)} · ${left}`;
}

/** A finished transfer's summary: each count opens the transfer on those files. */
function Summary({ transfer, title }: { transfer: TransferView; title: string }) {
  const { files } = transfer.counts;
  const show = (group: StateGroup): void => actions().openTransfer(transfer.id, [group]);
  const link = (group: StateGroup, n: number, word: string) => (
    <button
      type="button"
      className="link"
      onClick={() => show(group)}
      disabled={n === 0}
      aria-label={`${formatCount(n)} ${word} in ${title}`}
    >
      {formatCount(n)} {word}
    </button>
  );
  return (
    <span className="transfer-summary" data-testid="transfer-summary">
      <span className="visually-hidden">Finished: {transferSummary(transfer)}.</span>
      <span aria-hidden="true">Finished:</span> {link('done', files.done, 'done')}
      {link('skipped', files.skipped, 'skipped')}
      {link('failed', files.failed, 'failed')}
      {files.failed > 0 && (
        <button type="button" className="small" onClick={() => void actions().retryTransfer(transfer.id)}>
          Retry failed
        </button>
      )}
    </span>
  );
}

const TransferRow = memo(function TransferRow({
  transfer,
  history,
}: {
  transfer: TransferView;
  history: boolean;
}) {
  const openId = useApp((s) => s.queueTransferId);
  const mode = useApp((s) => s.totals?.mode);
  const title = useTransferTitle(transfer);
  const open = openId === transfer.id;
  const counted = countedFiles(transfer.counts);
  const stopped = limitReached(transfer);
  const value = transfer.finished ? 1 : ratio(transfer.counts.bytes.done, transfer.counts.bytes.total);
  return (
    <li className={open ? 'transfer open' : 'transfer'} data-testid="transfer">
      <div className="transfer-head">
        {history ? (
          <span className="transfer-title">{title}</span>
        ) : (
          <button
            type="button"
            className="transfer-title ghost"
            aria-expanded={open}
            onClick={() => actions().openTransfer(open ? null : transfer.id, [])}
            title={open ? 'Show every file again' : 'Show the files of this transfer'}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
            <span className="transfer-title-text" title={title}>
              {title}
            </span>
          </button>
        )}
        <span className="muted small">
          {plural(counted, transfer.kind === 'records' ? 'record' : 'file')} ·{' '}
          {formatDateTime(transfer.startedAt)}
        </span>
      </div>
      <ProgressBar
        value={transfer.counts.bytes.total > 0 ? value : ratio(transfer.counts.files.done, counted)}
        label={`Progress of ${title}`}
      />
      <div className="small transfer-stats">
        {stopped && !history ? (
          <LimitReachedNote transfer={transfer} sentence={stopped} title={title} />
        ) : transfer.finished ? (
          history ? (
            <span>Finished: {transferSummary(transfer)}</span>
          ) : (
            <Summary transfer={transfer} title={title} />
          )
        ) : (
          <span>{progressText(transfer, mode)}</span>
        )}
      </div>
      {stopped && !history && <RecordLimitForm transfer={transfer} title={title} />}
    </li>
  );
});

/** The transfers above the list (nothing while the queue holds none), with the history behind a toggle. */
export function TransfersPanel() {
  const transfers = useApp((s) => s.transfers);
  const history = useApp((s) => s.transferHistory);
  const openId = useApp((s) => s.queueTransferId);
  useEffect(() => {
    void actions().loadTransfers();
  }, []);
  const openTitle = transfers.find((t) => t.id === openId);
  return (
    <section className="transfers" aria-label="Transfers">
      <div className="row transfers-head">
        <h2>Transfers</h2>
        {openTitle && (
          <button type="button" className="ghost" onClick={() => actions().openTransfer(null, [])}>
            Show every file
          </button>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="ghost"
          aria-pressed={history !== null}
          onClick={() => void actions().showTransferHistory(history === null)}
        >
          History
        </button>
      </div>
      {transfers.length === 0 ? (
        <p className="muted small">No transfers in the list. Each add of files or records becomes one.</p>
      ) : (
        <ul className="transfer-list" aria-label="Transfers in the list">
          {transfers.map((t) => (
            <TransferRow key={t.id} transfer={t} history={false} />
          ))}
        </ul>
      )}
      {history !== null && (
        <section aria-label="Past transfers" className="transfer-history">
          <h3>Past transfers</h3>
          {history.length === 0 ? (
            <p className="muted small">No past transfers yet: Clear finished moves finished ones here.</p>
          ) : (
            <ul className="transfer-list">
              {history.map((t) => (
                <TransferRow key={t.id} transfer={t} history />
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}

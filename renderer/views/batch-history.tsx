/**
 * The batch's history: each transfer that fed it (an add of files, or a records file), when it started and when
 * its last file changed, and how many of its files were sent, failed or canceled (and how many are still to go).
 */
import type { BatchTransferView } from '../../common/api.ts';
import { ErrorState, LoadingState } from '../components/panel-state.tsx';
import { formatCount, formatDateTime } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import './batch-history.css';

/** The table's columns and whether each holds a number (right-aligned). */
const COLUMNS: readonly [string, boolean][] = [
  ['Transfer', false],
  ['When', false],
  ['Files', true],
  ['Sent', true],
  ['Failed', true],
  ['Canceled', true],
];

function HistoryRow({ transfer }: { transfer: BatchTransferView }) {
  const { files } = transfer.counts;
  const left = files.waiting + files.active + files.paused;
  return (
    <tr data-testid="batch-transfer">
      <th scope="row" className="history-label">
        <span className="history-name" title={transfer.label}>
          {transfer.label || 'Transfer'}
        </span>
        <span className="small muted">
          {transfer.kind === 'records' ? 'records file' : 'files'}
          {left > 0 && ` · ${formatCount(left)} still to go`}
        </span>
      </th>
      <td className="small">
        <span className="history-when">{formatDateTime(transfer.startedAt)}</span>
        <span className="history-when muted">last {formatDateTime(transfer.lastChangedAt)}</span>
      </td>
      <td className="num">{formatCount(files.total)}</td>
      <td className="num">{formatCount(files.done)}</td>
      <td className="num">{formatCount(files.failed)}</td>
      <td className="num">{formatCount(files.canceled)}</td>
    </tr>
  );
}

/** The history section of the batch view. */
export function BatchHistory({ batchId }: { batchId: string }) {
  const history = useApp((s) => (s.batchHistory?.batchId === batchId ? s.batchHistory : null));
  let body;
  if (!history || history.status === 'loading') body = <LoadingState label="Loading the batch’s history…" />;
  else if (history.status === 'error')
    body = (
      <ErrorState
        title="The history did not load"
        message={history.error ?? ''}
        onRetry={() => void actions().loadBatchHistory(batchId)}
      />
    );
  else if (history.transfers.length === 0)
    body = <p className="muted small">No files were sent into this batch from this app yet.</p>;
  else
    body = (
      <div className="history-scroll">
        <table className="batch-history" aria-labelledby="history-title">
          <thead>
            <tr>
              {COLUMNS.map(([label, numeric]) => (
                <th key={label} scope="col" className={numeric ? 'num' : undefined}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {history.transfers.map((transfer) => (
              <HistoryRow key={transfer.id} transfer={transfer} />
            ))}
          </tbody>
        </table>
      </div>
    );
  return (
    <section className="stack" aria-labelledby="history-title">
      <h2 id="history-title">Transfers into this batch</h2>
      {body}
    </section>
  );
}

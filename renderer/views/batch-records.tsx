/**
 * A batch's exception and canceled records, every one of them as the API lists them: filtered by status and by
 * text, sorted by a column (announced with aria-sort), virtualized so thousands scroll smoothly, and saved as CSV
 * exactly as shown. Each row names the file this app uploaded into the record, its status, its dates and ids.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { RecordView } from '../../common/api.ts';
import { arrangeRecords } from '../../common/record-list.ts';
import type { RecordListOrder, RecordSortKey } from '../../common/record-list.ts';
import { CopyableId } from '../components/copy-button.tsx';
import { ErrorState, LoadingState, EmptyState } from '../components/panel-state.tsx';
import { formatCount, formatDateTime, shortenFolder } from '../format.ts';
import type { RecordsState } from '../store/catalog-slice.ts';
import { actions } from '../store/index.ts';
import './batch-records.css';

const ROW_HEIGHT = 56;

/** The platform's record statuses as people read them. */
export function statusLabel(status: string): string {
  if (status === 'exception') return 'Exception';
  if (status === 'canceled') return 'Canceled';
  const words = status.replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One exception or canceled record: its file (when this app uploaded it), status, ids, dates, reason. */
export function RecordRow({ record, index, top }: { record: RecordView; index: number; top: number }) {
  return (
    <div
      role="row"
      className="rgrid rrow"
      aria-rowindex={index + 2}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="record-row"
    >
      <div role="cell" className="record-file" title={record.assetId ? `Asset ${record.assetId}` : undefined}>
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
      </div>
      <div role="cell">
        <span className={record.status === 'exception' ? 'badge failed' : 'badge'}>
          {statusLabel(record.status)}
        </span>
      </div>
      <div role="cell" className="record-ids">
        <CopyableId value={record.id} what={`record id of ${record.fileName ?? record.id}`} />
        {record.assetId && (
          <CopyableId value={record.assetId} what={`asset id of ${record.fileName ?? record.id}`} />
        )}
      </div>
      <div role="cell" className="num small">
        <div>{formatDateTime(record.createdAt)}</div>
        {record.updatedAt && <div className="muted">changed {formatDateTime(record.updatedAt)}</div>}
      </div>
      <div role="cell" className="record-metadata" title={record.metadata ?? record.reason ?? undefined}>
        {record.reason && <div className="record-reason">{record.reason}</div>}
        {record.metadata ? (
          <span className="mono small">{record.metadata}</span>
        ) : (
          !record.reason && <span className="muted">—</span>
        )}
      </div>
    </div>
  );
}

const COLUMNS: { key: RecordSortKey | null; label: string }[] = [
  { key: 'file', label: 'File' },
  { key: 'status', label: 'Status' },
  { key: null, label: 'Ids' },
  { key: 'createdAt', label: 'Created' },
  { key: null, label: 'Reason and metadata' },
];

/** A column's header: a button that sorts by it, its current order in aria-sort. */
function SortHeader({
  column,
  order,
  onSort,
}: {
  column: (typeof COLUMNS)[number];
  order: RecordListOrder;
  onSort: (key: RecordSortKey) => void;
}) {
  const { key } = column;
  if (!key) return <div role="columnheader">{column.label}</div>;
  const sorted = order.sort === key ? order.direction : 'none';
  return (
    <div role="columnheader" aria-sort={sorted}>
      <button type="button" className="sort-button" onClick={() => onSort(key)}>
        {column.label}
        <span aria-hidden="true" className="sort-mark">
          {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
        </span>
      </button>
    </div>
  );
}

const STATUS_CHOICES = [
  { label: 'All', statuses: ['exception', 'canceled'] },
  { label: 'Exceptions', statuses: ['exception'] },
  { label: 'Canceled', statuses: ['canceled'] },
] as const;

/** The list with its toolbar (status, search, Save as CSV). */
function RecordsList({
  records,
  batchId,
  batchName,
}: {
  records: RecordsState;
  batchId: string;
  batchName: string;
}) {
  const [order, setOrder] = useState<RecordListOrder>({
    statuses: ['exception', 'canceled'],
    text: '',
    sort: 'createdAt',
    direction: 'ascending',
  });
  const [saving, setSaving] = useState(false);
  const shown = useMemo(() => arrangeRecords(records.items, order), [records.items, order]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is the documented way
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    initialRect: { width: 1000, height: 440 },
    useFlushSync: false,
  });
  const onSort = (key: RecordSortKey): void =>
    setOrder((o) => ({
      ...o,
      sort: key,
      direction: o.sort === key && o.direction === 'ascending' ? 'descending' : 'ascending',
    }));
  const save = async (): Promise<void> => {
    setSaving(true);
    try {
      await actions().saveRecordsList({ batchId, batchName, order });
    } finally {
      setSaving(false);
    }
  };
  const loading = records.items.length < records.total;
  return (
    <div className="stack records-list">
      <div className="row wrap records-toolbar">
        <div className="chips" role="group" aria-label="Show records">
          {STATUS_CHOICES.map((choice) => (
            <button
              key={choice.label}
              type="button"
              className="chip"
              aria-pressed={order.statuses.join() === choice.statuses.join()}
              onClick={() => setOrder((o) => ({ ...o, statuses: [...choice.statuses] }))}
            >
              {choice.label}
            </button>
          ))}
        </div>
        <input
          type="search"
          aria-label="Filter records by file, id or metadata"
          placeholder="Filter by file, id or metadata"
          value={order.text}
          onChange={(e) => setOrder((o) => ({ ...o, text: e.target.value }))}
        />
        <span className="spacer" />
        <button type="button" onClick={() => void save()} disabled={saving || shown.length === 0}>
          {saving ? 'Saving…' : 'Save as CSV'}
        </button>
      </div>
      <p className="small muted num" role="status" data-testid="records-shown">
        {loading
          ? `Loading: ${formatCount(records.items.length)} of ${formatCount(records.total)} records…`
          : `${formatCount(shown.length)} of ${formatCount(records.total)} shown`}
      </p>
      {shown.length === 0 ? (
        <EmptyState title="No records match">Change the status or the filter.</EmptyState>
      ) : (
        <div
          role="table"
          aria-label="Exception and canceled records"
          aria-rowcount={shown.length + 1}
          className="records-grid"
          data-testid="records-table"
        >
          <div role="rowgroup">
            <div role="row" className="rgrid rhead" aria-rowindex={1}>
              {COLUMNS.map((column) => (
                <SortHeader key={column.label} column={column} order={order} onSort={onSort} />
              ))}
            </div>
          </div>
          <div role="rowgroup" className="records-scroll" ref={scrollRef} data-testid="records-scroll">
            <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => {
                const record = shown[v.index];
                return record ? (
                  <RecordRow key={record.id} record={record} index={v.index} top={v.start} />
                ) : null;
              })}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

/** The records section as its state says: loading, failed, none yet, none final without a result, or the list. */
export function RecordsPanel({
  records,
  empty,
  done,
  onRetry,
  batchName,
}: {
  records: RecordsState | null;
  /** The batch holds no records at all yet. */
  empty: boolean;
  done: boolean;
  onRetry: () => void;
  batchName: string;
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
  return <RecordsList records={records} batchId={records.batchId} batchName={batchName} />;
}

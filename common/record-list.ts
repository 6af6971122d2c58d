/**
 * The exception and canceled list of a batch as the batch view shows it and as "Save as CSV" writes it: filtered
 * by status and by text, sorted by a column. One implementation, so the file saved is the list on screen.
 */
import { z } from 'zod';
import type { RecordView } from './api.ts';

export const RecordSortKey = z.enum(['file', 'status', 'createdAt']);
export type RecordSortKey = z.infer<typeof RecordSortKey>;

export const RecordListOrder = z.object({
  /** Statuses shown; both when absent. */
  statuses: z
    .array(z.enum(['exception', 'canceled']))
    .min(1)
    .default(['exception', 'canceled']),
  /** Kept when the file name, folder, record id, asset id or metadata contains it (any case). */
  text: z.string().max(200).default(''),
  sort: RecordSortKey.default('createdAt'),
  direction: z.enum(['ascending', 'descending']).default('ascending'),
});
export type RecordListOrder = z.infer<typeof RecordListOrder>;

/** How a record's file is named in the list: its file, else its asset, else "No file". */
function recordFileText(record: RecordView): string {
  if (record.fileName) return record.fileName;
  return record.assetId ? `Asset ${record.assetId}` : 'No file';
}

function matches(record: RecordView, needle: string): boolean {
  if (needle === '') return true;
  return [record.fileName, record.folder, record.id, record.assetId, record.metadata, record.reason].some(
    (field) => typeof field === 'string' && field.toLowerCase().includes(needle),
  );
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compare(a: RecordView, b: RecordView, key: RecordSortKey): number {
  if (key === 'file') return collator.compare(recordFileText(a), recordFileText(b));
  if (key === 'status') return collator.compare(a.status, b.status);
  return Date.parse(a.createdAt) - Date.parse(b.createdAt);
}

/** The records the order keeps, sorted by its column (ties by record id, so the order is stable everywhere). */
export function arrangeRecords(records: readonly RecordView[], order: RecordListOrder): RecordView[] {
  const statuses = new Set<string>(order.statuses);
  const needle = order.text.trim().toLowerCase();
  const sign = order.direction === 'ascending' ? 1 : -1;
  return records
    .filter((record) => statuses.has(record.status) && matches(record, needle))
    .sort((a, b) => sign * compare(a, b, order.sort) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

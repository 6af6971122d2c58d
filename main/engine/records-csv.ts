/**
 * "Save as CSV" of a batch's exception and canceled list: every record of the chosen statuses as the API lists
 * them (with the file this app uploaded into each), filtered and sorted as the batch view shows them.
 */
import { stringify } from 'csv-stringify/sync';
import type { RecordView, SaveRecordsArgs } from '../../common/api.ts';
import { arrangeRecords } from '../../common/record-list.ts';
import type { AlegionClient } from '../alegion/types.ts';
import { listRecords } from './catalog.ts';
import type { SourceLookup } from './catalog.ts';

/** The CSV's columns, in order. */
export const RECORD_CSV_COLUMNS = [
  'file',
  'folder',
  'status',
  'record_id',
  'asset_id',
  'created_at',
  'updated_at',
  'reason',
  'metadata',
] as const;

const PAGE = 500;

/** Every record of the batch with these statuses, page by page. */
export async function listAllRecords(
  client: AlegionClient,
  batchId: string,
  statuses: SaveRecordsArgs['order']['statuses'],
  lookup?: SourceLookup,
): Promise<RecordView[]> {
  const all: RecordView[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await listRecords(client, { batchId, statuses, offset, limit: PAGE }, lookup);
    all.push(...page.items);
    if (page.items.length < PAGE || all.length >= page.total) return all;
  }
}

/** The list as CSV text (RFC 4180, a header line), and how many records it holds. */
export function recordsCsv(
  records: readonly RecordView[],
  order: SaveRecordsArgs['order'],
): {
  text: string;
  rows: number;
} {
  const rows = arrangeRecords(records, order).map((r) => [
    r.fileName ?? '',
    r.folder ?? '',
    r.status,
    r.id,
    r.assetId ?? '',
    r.createdAt,
    r.updatedAt ?? '',
    r.reason ?? '',
    r.metadata ?? '',
  ]);
  const text = stringify(rows, { header: true, columns: [...RECORD_CSV_COLUMNS], record_delimiter: 'unix' });
  return { text, rows: rows.length };
}

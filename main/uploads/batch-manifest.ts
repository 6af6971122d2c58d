/**
 * A batch's manifest: one line per file that the journals sent into the batch (path, size, MD5, asset, record,
 * when, and the record's labeling status), and its verification against the platform. Several state directories
 * (one per shard or machine) merge into one manifest. Journals are read read-only, so a manifest can be taken
 * while an upload runs.
 */
import { existsSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { stringify } from 'csv-stringify/sync';
import type { InputRecord } from '../../common/alegion.ts';
import { NotFoundError } from '../alegion/errors.ts';
import type { AlegionClient } from '../alegion/types.ts';
import { journalPathIn } from './journal/state-dir.ts';
import { openJournalForReading } from './journal-reader.ts';

export interface ManifestLine {
  path: string;
  size: number;
  md5: string | null;
  assetId: string;
  assetName: string | null;
  recordId: string | null;
  /** When the file's record was made (ISO 8601). */
  uploadedAt: string;
  /** The record's status as the platform lists it now; null when not looked up or not found. */
  status: string | null;
}

/** The columns of a manifest, in order (CSV header, JSONL keys). */
const MANIFEST_COLUMNS: readonly (keyof ManifestLine)[] = [
  'path',
  'size',
  'md5',
  'assetId',
  'assetName',
  'recordId',
  'uploadedAt',
  'status',
];

type Row = Record<string, unknown>;

/** What the journals sent into a batch: the files' lines, and the records imported from records files. */
export interface JournalManifest {
  lines: ManifestLine[];
  importedRecordIds: Set<string>;
  /** The state folders an upload is still running in: their journals were read from a copy, as of the read. */
  runningIn: string[];
}

/** The lines of every journal under `stateDirs` for the batch, sorted by path; throws when a journal is missing. */
export function readManifest(
  stateDirs: readonly string[],
  workflowId: string,
  batchId: string,
): JournalManifest {
  const manifest: JournalManifest = { lines: [], importedRecordIds: new Set(), runningIn: [] };
  const seenAssets = new Set<string>();
  for (const dir of stateDirs) {
    const path = journalPathIn(dir);
    if (!existsSync(path)) throw new Error(`no upload journal in ${dir}`);
    // An upload running on the journal holds it exclusively: then a consistent copy of it is read.
    const journal = openJournalForReading(path);
    if (journal.copied) manifest.runningIn.push(dir);
    try {
      addJournal(manifest, seenAssets, journal.db, workflowId, batchId);
    } finally {
      journal.close();
    }
  }
  return sortedByPath(manifest);
}

/**
 * The lines of one open journal for the batch, sorted by path: the app's own, which its upload service holds
 * (exclusively, so it cannot be opened a second time).
 */
export function journalManifest(db: DatabaseSync, workflowId: string, batchId: string): JournalManifest {
  const manifest: JournalManifest = { lines: [], importedRecordIds: new Set(), runningIn: [] };
  addJournal(manifest, new Set(), db, workflowId, batchId);
  return sortedByPath(manifest);
}

function addJournal(
  manifest: JournalManifest,
  seenAssets: Set<string>,
  db: DatabaseSync,
  workflowId: string,
  batchId: string,
): void {
  const rows = db
    .prepare(
      `SELECT i.path, i.size, i.md5, i.asset_id, i.asset_name, i.record_id, i.updated_at
       FROM items i JOIN targets t ON t.id = i.target_id
       WHERE t.workflow_id = ? AND t.batch_id = ? AND i.kind = 'file' AND i.state = 'done'`,
    )
    .all(workflowId, batchId) as Row[];
  for (const row of rows) {
    const assetId = String(row.asset_id);
    // The same journal given twice, or a copy of one, must not list a file twice.
    if (seenAssets.has(assetId)) continue;
    seenAssets.add(assetId);
    manifest.lines.push({
      path: String(row.path),
      size: Number(row.size),
      md5: row.md5 === null ? null : String(row.md5),
      assetId,
      assetName: row.asset_name === null ? null : String(row.asset_name),
      recordId: row.record_id === null ? null : String(row.record_id),
      uploadedAt: new Date(Number(row.updated_at)).toISOString(),
      status: null,
    });
  }
  const imported = db
    .prepare(
      `SELECT i.record_id FROM items i JOIN targets t ON t.id = i.target_id
       WHERE t.workflow_id = ? AND t.batch_id = ? AND i.kind = 'record' AND i.record_id IS NOT NULL`,
    )
    .all(workflowId, batchId) as Row[];
  for (const row of imported) manifest.importedRecordIds.add(String(row.record_id));
}

function sortedByPath(manifest: JournalManifest): JournalManifest {
  manifest.lines.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.assetId < b.assetId ? -1 : 1,
  );
  return manifest;
}

/** The formats a manifest is written in. */
export type ManifestFormat = 'csv' | 'jsonl';

/** The manifest as text: CSV with a header (RFC 4180), or one JSON object per line. */
export function manifestText(lines: readonly ManifestLine[], format: ManifestFormat): string {
  if (format === 'jsonl') return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
  return stringify(
    lines.map((line) => MANIFEST_COLUMNS.map((column) => line[column] ?? '')),
    { header: true, columns: [...MANIFEST_COLUMNS], record_delimiter: 'unix' },
  );
}

/** Every record of the batch as the platform lists it. */
export async function listBatchRecords(client: AlegionClient, batchId: string): Promise<InputRecord[]> {
  const records: InputRecord[] = [];
  for await (const record of client.listRecords(batchId, { pageSize: 1000 })) records.push(record);
  return records;
}

/** Finds each line's record in the listing (by id, or by asset where the journal has no id) and its status. */
export function withStatuses(
  lines: readonly ManifestLine[],
  records: readonly InputRecord[],
): ManifestLine[] {
  const byId = new Map(records.map((record) => [record.id, record]));
  const byAsset = new Map(records.flatMap((record) => (record.assetId ? [[record.assetId, record]] : [])));
  return lines.map((line) => {
    const record = (line.recordId ? byId.get(line.recordId) : undefined) ?? byAsset.get(line.assetId);
    return { ...line, recordId: line.recordId ?? record?.id ?? null, status: record?.status ?? null };
  });
}

interface VerifyProblem {
  path: string;
  assetId: string;
  problem: string;
}

export interface VerifyReport {
  checked: number;
  missing: VerifyProblem[];
  /** Records in the batch that no line names (nor a records import): made by something else, or by a journal not given. */
  extra: { recordId: string; assetId: string | null }[];
}

/**
 * Checks each line against the platform: its asset exists and finished uploading, and its record is in the batch.
 * `concurrency` asset lookups run at once.
 */
export async function verifyManifest(
  client: AlegionClient,
  batchId: string,
  manifest: JournalManifest,
  concurrency = 8,
): Promise<VerifyReport> {
  const { lines } = manifest;
  const records = await listBatchRecords(client, batchId);
  const found = withStatuses(lines, records);
  const missing: VerifyProblem[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < found.length) {
      const line = found[next++] as ManifestLine;
      const problem = await assetProblem(client, line.assetId);
      if (problem) missing.push({ path: line.path, assetId: line.assetId, problem });
      if (line.status === null)
        missing.push({ path: line.path, assetId: line.assetId, problem: 'its record is not in the batch' });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const named = new Set(found.flatMap((line) => (line.recordId ? [line.recordId] : [])));
  const extra = records
    .filter((record) => !named.has(record.id) && !manifest.importedRecordIds.has(record.id))
    .map((record) => ({ recordId: record.id, assetId: record.assetId ?? null }));
  missing.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.problem < b.problem ? -1 : 1));
  return { checked: found.length, missing, extra };
}

async function assetProblem(client: AlegionClient, assetId: string): Promise<string | null> {
  try {
    const asset = await client.getAsset(assetId);
    if (asset.status === 'uploading' || asset.status === 'upload-error')
      return `its asset is not uploaded (status ${asset.status})`;
    return null;
  } catch (error) {
    if (error instanceof NotFoundError) return 'its asset no longer exists';
    throw error;
  }
}

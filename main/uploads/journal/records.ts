/**
 * Input records in the journal, remembered by content: each row of a records file is keyed by a hash of the record
 * as sent and its occurrence (the first, second... identical row of the file), so the rows form a multiset. A row
 * whose key was imported before into the same batch is not sent again; rows appended since are; a file with two
 * identical rows still gives two records. `reimport` sends every row again on purpose.
 */
import type { Journal } from './journal.ts';
import { countInserted } from './items.ts';
import type { Row } from './rows.ts';
import { tagRun } from './run-scope.ts';
import type { NewRecord, TargetRow } from './item-types.ts';

/** Which batch records went to: a target row's id, and the batch id or new batch name it stands for. */
export interface RecordsBatchRef {
  server: string;
  workflowId: string;
  targetId: number | null;
  batchId: string | null;
  newBatchName: string | null;
}

/** What queuing a slice of records did. */
interface RecordsInsertOutcome {
  queued: number;
  /** Already in the queue, not yet imported (a resumed run, or the same file added while its import goes on). */
  existing: number;
  /** Imported before into the same batch. */
  alreadyImported: number;
  /** When the latest of those was imported (ms since the epoch), or null. */
  lastImportedAt: number | null;
}

/** The batch reference of a target row. */
function batchRefOf(target: TargetRow): RecordsBatchRef {
  return {
    server: target.server,
    workflowId: target.workflowId,
    targetId: target.id,
    batchId: target.batchId,
    newBatchName: target.newBatchName,
  };
}

/** How a row of the file stands in the journal: imported before, queued (in which run), or new. */
type PriorRecord = { state: 'done'; at: number } | { state: 'queued'; runId: number } | null;

/** A function that tells, for a row key, whether that row went (or is going) to the batch. */
export function priorRecordLookup(journal: Journal, ref: RecordsBatchRef): (key: string) => PriorRecord {
  const statement = journal.stmt(
    `SELECT i.state, i.run_id, i.updated_at FROM items i JOIN targets t ON t.id = i.target_id
     WHERE i.workflow_id = ? AND i.source_key = ? AND i.kind = 'record' AND t.server = ?
       AND (t.id = ? OR t.batch_id = ? OR t.new_batch_name = ?)
       AND i.state NOT IN ('failed', 'canceled', 'skipped')
     ORDER BY i.id DESC LIMIT 1`,
  );
  return (key) => {
    const row = statement.get(
      ref.workflowId,
      key,
      ref.server,
      ref.targetId ?? -1,
      ref.batchId ?? null,
      ref.newBatchName ?? null,
    ) as Row | undefined;
    if (!row) return null;
    if (row.state === 'done') return { state: 'done', at: Number(row.updated_at) };
    return { state: 'queued', runId: Number(row.run_id) };
  };
}

/** Queues the records not imported before into the target's batch (all of them with `reimport`), in one transaction. */
export function insertRecords(
  journal: Journal,
  runId: number,
  target: TargetRow,
  path: string,
  records: readonly NewRecord[],
  reimport = false,
): RecordsInsertOutcome {
  tagRun(journal, runId, target.server);
  const outcome: RecordsInsertOutcome = { queued: 0, existing: 0, alreadyImported: 0, lastImportedAt: null };
  const prior = reimport ? () => null : priorRecordLookup(journal, batchRefOf(target));
  const insert = journal.stmt(
    `INSERT OR IGNORE INTO items (run_id, target_id, workflow_id, kind, source_key, path, name, payload, state, created_at, updated_at)
     VALUES (?, ?, ?, 'record', ?, ?, ?, ?, 'queued', ?, ?)`,
  );
  const now = journal.now();
  journal.transaction(() => {
    for (const record of records) {
      const before = prior(record.sourceKey);
      if (before?.state === 'done') {
        outcome.alreadyImported++;
        outcome.lastImportedAt = Math.max(outcome.lastImportedAt ?? 0, before.at);
        continue;
      }
      if (before?.state === 'queued' && before.runId !== runId) {
        outcome.existing++;
        continue;
      }
      const result = insert.run(
        runId,
        target.id,
        target.workflowId,
        record.sourceKey,
        path,
        record.name,
        record.payload,
        now,
        now,
      );
      if (result.changes === 0) outcome.existing++;
      else outcome.queued++;
    }
    countInserted(journal, runId, 'queued', 'record', outcome.queued, 0);
  });
  return outcome;
}

/** The record ids the journal knows for a batch (records made by this uploader, settled). */
export function knownRecordIds(journal: Journal, batchId: string): Set<string> {
  const rows = journal
    .stmt(
      `SELECT i.record_id FROM items i JOIN targets t ON t.id = i.target_id
       WHERE t.batch_id = ? AND i.record_id IS NOT NULL`,
    )
    .all(batchId) as Row[];
  return new Set(rows.map((row) => String(row.record_id)));
}

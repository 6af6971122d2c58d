/**
 * The journal's items: files and input records queued for upload, their steps' progress, and their history of
 * attempts. Like every part of the journal, these are functions over an open Journal (journal.ts holds only the
 * connection, its schema and its transactions).
 */
import type { Journal } from './journal.ts';
import { patchAssignments, toItem } from './rows.ts';
import type { Row } from './rows.ts';
import { tagRun } from './run-scope.ts';
import { sqlStates, UPLOAD_STATES } from './item-types.ts';
import type { ItemPatch, ItemRow, NewFile, StoredState, TargetRow } from './item-types.ts';

/** The SQL condition that keeps rows to one server and account's targets (every row when `server` is not given). */
export function onServer(server: string | undefined): { sql: string; params: string[] } {
  return server === undefined
    ? { sql: '1', params: [] }
    : { sql: 'target_id IN (SELECT id FROM targets WHERE server = ?)', params: [server] };
}

/** What inserting a slice of files did. */
export interface InsertOutcome {
  queued: number;
  /** Already in the queue (a rerun of the same command, or the same file added twice). */
  existing: number;
  /** Uploaded before to the same workflow with the same size and modification time. */
  alreadyUploaded: number;
}

/**
 * Queues files found by intake in one transaction. A file already in the queue is left alone; a file uploaded
 * before to the same workflow (same path, size and mtime) is queued as `skipped` "already uploaded" unless
 * `reupload` is set.
 */
export function insertFiles(
  journal: Journal,
  runId: number,
  target: TargetRow,
  files: readonly NewFile[],
  reupload: boolean,
): InsertOutcome {
  const outcome: InsertOutcome = { queued: 0, existing: 0, alreadyUploaded: 0 };
  const now = journal.now();
  journal.transaction(() => {
    tagRun(journal, runId, target.server);
    const seenBefore = latestEntries(journal, target, files);
    const rows: FileToInsert[] = [];
    for (const file of files) {
      const seen = seenBefore.get(asStored(file.path));
      if (seen && seen.state !== 'done') {
        outcome.existing++;
        continue;
      }
      const uploaded =
        seen && !reupload && Number(seen.size) === file.size && Number(seen.mtime_ms) === file.mtimeMs;
      rows.push(
        uploaded
          ? { file, state: 'skipped', reason: 'already uploaded' }
          : { file, state: 'queued', reason: null },
      );
    }
    const inserted = insertFileRows(journal, runId, target, rows, now);
    // A row the insert ignored is the same path given twice in this run.
    outcome.existing += rows.length - inserted.length;
    let queuedBytes = 0;
    let skippedBytes = 0;
    for (const row of inserted) {
      if (row.state === 'skipped') {
        outcome.alreadyUploaded++;
        skippedBytes += Number(row.size);
      } else {
        outcome.queued++;
        queuedBytes += Number(row.size);
      }
    }
    countInserted(journal, runId, 'queued', 'file', outcome.queued, queuedBytes);
    countInserted(journal, runId, 'skipped', 'file', outcome.alreadyUploaded, skippedBytes);
  });
  return outcome;
}

/**
 * Each file's latest entry for the same workflow on the same server (a failed, canceled or skipped entry does not
 * count), read for the whole slice in one statement rather than one lookup per file. Seen before only on the same
 * server and account: the same workflow id on another server is another workflow.
 */
function latestEntries(journal: Journal, target: TargetRow, files: readonly NewFile[]): Map<string, Row> {
  // CROSS JOIN keeps the slice's paths as the outer loop, each a search of the source key index.
  const rows = journal
    .stmt(
      `SELECT f.value AS path, i.id, i.state, i.size, i.mtime_ms FROM json_each(?) f
       CROSS JOIN items i ON i.source_key = f.value AND i.workflow_id = ? JOIN targets t ON t.id = i.target_id
       WHERE t.server = ? AND i.state NOT IN ('failed', 'canceled', 'skipped')`,
    )
    .all(JSON.stringify(files.map((file) => asStored(file.path))), target.workflowId, target.server) as Row[];
  const latest = new Map<string, Row>();
  for (const row of rows) {
    const path = String(row.path);
    const previous = latest.get(path);
    if (!previous || Number(row.id) > Number(previous.id)) latest.set(path, row);
  }
  return latest;
}

/**
 * A path as SQLite holds it once bound as a parameter: a lone UTF-16 surrogate (Windows file names may have one)
 * becomes U+FFFD. In JSON it would arrive as a different byte sequence and the file would never be found again.
 */
function asStored(path: string): string {
  return (path as string & { toWellFormed(): string }).toWellFormed();
}

/**
 * Lists files a scan left out (empty, hidden, unsupported…) as skipped items with their reasons, so the queue's
 * Skipped filter shows every file the add dialog counted.
 */
export function insertSkipped(
  journal: Journal,
  runId: number,
  target: TargetRow,
  files: readonly { path: string; name: string; reason: string; size?: number; mtimeMs?: number }[],
): number {
  const now = journal.now();
  return journal.transaction(() => {
    tagRun(journal, runId, target.server);
    const rows: FileToInsert[] = files.map((file) => ({
      file: { path: file.path, name: file.name, size: file.size ?? 0, mtimeMs: file.mtimeMs ?? 0 },
      state: 'skipped',
      reason: file.reason,
    }));
    const inserted = insertFileRows(journal, runId, target, rows, now);
    const bytes = inserted.reduce((sum, row) => sum + Number(row.size), 0);
    countInserted(journal, runId, 'skipped', 'file', inserted.length, bytes);
    return inserted.length;
  });
}

interface FileToInsert {
  file: NewFile;
  state: StoredState;
  reason: string | null;
}

/**
 * Rows per INSERT statement, largest first: a slice of 500 files takes 7 statements of 64 rows and a few smaller
 * ones rather than 500 (the per-statement cost was a quarter of queuing 100,000 files). Each size is one cached
 * statement.
 */
const ROWS_PER_INSERT = [64, 16, 4, 1] as const;
const FILE_ROW = "(?, ?, ?, 'file', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const INSERT_SQL = new Map(
  ROWS_PER_INSERT.map((rows) => [
    rows,
    `INSERT OR IGNORE INTO items (run_id, target_id, workflow_id, kind, source_key, path, name, size, mtime_ms, md5, state, reason, created_at, updated_at)
     VALUES ${Array.from({ length: rows }, () => FILE_ROW).join(', ')} RETURNING state, size`,
  ]),
);

/** Inserts file items the run does not have yet; answers the state and size of each row inserted. */
function insertFileRows(
  journal: Journal,
  runId: number,
  target: TargetRow,
  rows: readonly FileToInsert[],
  now: number,
): Row[] {
  const inserted: Row[] = [];
  let next = 0;
  for (const size of ROWS_PER_INSERT) {
    if (rows.length - next < size) continue;
    const statement = journal.stmt(INSERT_SQL.get(size) as string);
    for (; rows.length - next >= size; next += size) {
      const values: (string | number | null)[] = [];
      for (let k = next; k < next + size; k++) {
        const { file, state, reason } = rows[k] as FileToInsert;
        values.push(
          runId,
          target.id,
          target.workflowId,
          file.path,
          file.path,
          file.name,
          file.size,
          file.mtimeMs,
        );
        values.push(file.md5 ?? null, state, reason, now, now);
      }
      for (const row of statement.all(...values)) inserted.push(row as Row);
    }
  }
  return inserted;
}

/** Adds inserted items to the count table (inserts are counted in bulk, not by a per-row trigger). */
export function countInserted(
  journal: Journal,
  runId: number,
  state: StoredState,
  kind: ItemRow['kind'],
  n: number,
  bytes: number,
): void {
  if (n === 0) return;
  journal
    .stmt(
      `INSERT INTO item_counts (run_id, state, paused, kind, n, bytes) VALUES (?, ?, 0, ?, ?, ?)
     ON CONFLICT (run_id, state, paused, kind) DO UPDATE SET n = n + excluded.n, bytes = bytes + excluded.bytes`,
    )
    .run(runId, state, kind, n, bytes);
}

export function getItem(journal: Journal, id: number): ItemRow | undefined {
  const row = journal.stmt('SELECT * FROM items WHERE id = ?').get(id) as Row | undefined;
  return row ? toItem(row) : undefined;
}

/** Sets columns of one item (and its updated_at). */
export function updateItem(journal: Journal, id: number, patch: ItemPatch): void {
  if (Object.keys(patch).length === 0) return;
  const { sets, values } = patchAssignments(patch);
  journal.stmt(`UPDATE items SET ${sets}, updated_at = ? WHERE id = ?`).run(...values, journal.now(), id);
}

/**
 * Up to `limit` unpaused items of a kind in `states`, taken state by state in the order given (so items further
 * along go first), oldest first within a state, skipping the ids in `exclude`; with `server`, only those going
 * to its targets (the journal holds every profile's queue). The ids come from the state index alone and only the
 * rows taken are read whole: turning a row of some thirty columns into an object costs five times its lookup, and
 * the rows skipped (the excluded ones are read too) are most of what is looked at.
 */
export function nextItems(...query: Parameters<typeof nextItemIds>): ItemRow[] {
  const [journal] = query;
  const items: ItemRow[] = [];
  for (const id of nextItemIds(...query)) {
    const item = getItem(journal, id);
    if (item) items.push(item);
  }
  return items;
}

/** The ids nextItems would return, in its order, without reading the rows. */
export function nextItemIds(
  journal: Journal,
  kind: ItemRow['kind'],
  states: readonly StoredState[],
  limit: number,
  exclude: ReadonlySet<number>,
  server?: string,
): number[] {
  const ids: number[] = [];
  const scope = onServer(server);
  for (const state of states) {
    if (ids.length >= limit) break;
    const rows = journal
      .stmt(
        `SELECT id FROM items WHERE state = ? AND paused = 0 AND kind = ? AND ${scope.sql} ORDER BY id LIMIT ?`,
      )
      .all(state, kind, ...scope.params, limit - ids.length + exclude.size) as Row[];
    for (const row of rows) {
      if (ids.length >= limit) break;
      const id = Number(row.id);
      if (!exclude.has(id)) ids.push(id);
    }
  }
  return ids;
}

/** Sets columns of one item unless it was canceled meanwhile (a control wins over a step finishing late). */
export function advanceItem(journal: Journal, id: number, patch: ItemPatch): boolean {
  const { sets, values } = patchAssignments(patch);
  const result = journal
    .stmt(
      `UPDATE items SET ${sets}, updated_at = ? WHERE id = ? AND state NOT IN ('canceled', 'done', 'skipped')`,
    )
    .run(...values, journal.now(), id);
  return Number(result.changes) > 0;
}

/**
 * advanceItem in the next group commit (group-commit.ts): resolves once the change is durable, with whether it was
 * made. A step that sends a request after its intent awaits this first.
 */
export function advanceItemDurably(journal: Journal, id: number, patch: ItemPatch): Promise<boolean> {
  return journal.grouped.submit(() => advanceItem(journal, id, patch), { oneStatement: true });
}

/** Items of a target ready for their records step: closed files or queued records, oldest first. */
export function readyForRecords(
  journal: Journal,
  targetId: number,
  kind: ItemRow['kind'],
  limit: number,
): ItemRow[] {
  const state: StoredState = kind === 'file' ? 'closed' : 'queued';
  const rows = journal
    .stmt(
      'SELECT * FROM items WHERE target_id = ? AND state = ? AND kind = ? AND paused = 0 ORDER BY id LIMIT ?',
    )
    .all(targetId, state, kind, limit) as Row[];
  return rows.map(toItem);
}

/**
 * Targets (`server`'s, when given) with items waiting for their records step, how many, and whether more files of
 * the target are still on their way (queued or uploading, not paused): when none are, nothing will join the wait.
 */
export function targetsWithPendingRecords(
  journal: Journal,
  server?: string,
): { targetId: number; kind: ItemRow['kind']; count: number; moreComing: boolean }[] {
  const scope = onServer(server);
  const rows = journal
    .stmt(
      `SELECT target_id, kind, COUNT(*) AS n,
         EXISTS (SELECT 1 FROM items AS coming WHERE coming.target_id = items.target_id
           AND coming.state IN ${sqlStates(['queued', ...UPLOAD_STATES])} AND coming.paused = 0
           AND coming.kind = 'file') AS more
       FROM items
       WHERE paused = 0 AND ((kind = 'file' AND state = 'closed') OR (kind = 'record' AND state = 'queued'))
         AND ${scope.sql}
       GROUP BY target_id, kind`,
    )
    .all(...scope.params) as Row[];
  return rows.map((row) => ({
    targetId: Number(row.target_id),
    kind: row.kind as ItemRow['kind'],
    count: Number(row.n),
    moreComing: row.kind === 'file' && Number(row.more) === 1,
  }));
}

/** Appends to an item's history of attempts and errors. */
export function addEvent(journal: Journal, itemId: number, step: string, message: string): void {
  journal
    .stmt('INSERT INTO item_events (item_id, at, step, message) VALUES (?, ?, ?, ?)')
    .run(itemId, journal.now(), step, message);
}

/** An item's history, oldest first. */
export function itemEvents(
  journal: Journal,
  itemId: number,
): { at: number; step: string; message: string }[] {
  const rows = journal
    .stmt('SELECT at, step, message FROM item_events WHERE item_id = ? ORDER BY id')
    .all(itemId) as Row[];
  return rows.map((row) => ({ at: Number(row.at), step: String(row.step), message: String(row.message) }));
}

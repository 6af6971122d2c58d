/**
 * The upload journal on `node:sqlite`: WAL mode, one engine per journal (an exclusive SQLite lock held for the
 * life of the process and dropped by the OS if it dies), small transactions for intake so 100,000 files never
 * hold the event loop for long. Signed URLs are secrets: they are stored sealed (link-vault.ts), never in plain
 * text, so a restart can use a still-valid URL again.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import * as chunks from './journal-chunks.ts';
import { patchAssignments, toItem } from './journal-rows.ts';
import type { Row } from './journal-rows.ts';
import { JOURNAL_SCHEMA, JOURNAL_VERSION, TARGET_INDEXES } from './journal-schema.ts';
import * as journalRecords from './journal-records.ts';
import type { RecordsInsertOutcome } from './journal-records.ts';
import * as targets from './journal-targets.ts';
import { addRunColumns, tagRun } from './queue-scope.ts';
import type { MediaKind } from '../../common/alegion.ts';
import type {
  ChunkRow,
  ItemPatch,
  ItemRow,
  NewFile,
  NewRecord,
  StoredState,
  TargetRow,
} from './item-types.ts';

/** Another process holds the journal. */
export class JournalBusyError extends Error {
  constructor(path: string) {
    super(`another uploader is already running on this queue (${path}); wait for it or stop it first`);
    this.name = 'JournalBusyError';
  }
}

/** True when an error means the disk (or the journal's file system) is full. */
export function isDiskFull(error: unknown): boolean {
  const e = error as { code?: string; errcode?: number; message?: string } | undefined;
  return e?.code === 'ENOSPC' || e?.errcode === 13 || /database or disk is full/i.test(e?.message ?? '');
}

/** What inserting a slice of files did. */
/** The SQL condition that keeps rows to one server and account's targets (every row when `server` is not given). */
function onServer(server: string | undefined): { sql: string; params: string[] } {
  return server === undefined
    ? { sql: '1', params: [] }
    : { sql: 'target_id IN (SELECT id FROM targets WHERE server = ?)', params: [server] };
}

export interface InsertOutcome {
  queued: number;
  /** Already in the queue (a rerun of the same command, or the same file added twice). */
  existing: number;
  /** Uploaded before to the same workflow with the same size and modification time. */
  alreadyUploaded: number;
}

export class Journal {
  readonly path: string;
  readonly db: DatabaseSync;
  /** A random id of this journal, part of every asset name and record external id it makes. */
  readonly journalId: string;
  private readonly statements = new Map<string, StatementSync>();
  /** Counts applied queue controls, so a scheduler caching which items come next knows when to look again. */
  controlsApplied = 0;
  /** The journal's clock (injected in tests). */
  readonly now: () => number;

  constructor(path: string, now: () => number = Date.now) {
    this.path = path;
    this.now = now;
    this.db = new DatabaseSync(path, { timeout: 0 });
    try {
      // EXCLUSIVE locking: the first write takes a lock held until close (or process death), so a second engine
      // on the same journal fails at once instead of interleaving with this one.
      this.db.exec(
        'PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;',
      );
      this.db.exec(
        'BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); COMMIT;',
      );
    } catch (error) {
      this.db.close();
      if ((error as { errcode?: number }).errcode === 5 || /locked|busy/i.test(String(error))) {
        throw new JournalBusyError(path);
      }
      throw error;
    }
    try {
      this.journalId = this.prepare(path);
    } catch (error) {
      // A journal that cannot be prepared (a full disk, a newer version) leaves no open handle or lock behind.
      this.close();
      throw error;
    }
  }

  /** Creates or upgrades the schema and the counts; returns the journal's id. */
  private prepare(path: string): string {
    this.db.exec(JOURNAL_SCHEMA);
    const targetColumns = this.db.prepare('PRAGMA table_info(targets)').all() as Row[];
    if (!targetColumns.some((column) => column.name === 'server')) {
      // A version 1 journal: its targets were keyed without the server; they keep '' and match no server again.
      this.db.exec("ALTER TABLE targets ADD COLUMN server TEXT NOT NULL DEFAULT ''");
    }
    this.db.exec(TARGET_INDEXES);
    addRunColumns(this.db);
    const itemColumns = this.db.prepare('PRAGMA table_info(items)').all() as Row[];
    if (!itemColumns.some((column) => column.name === 'fps_variable')) {
      // A journal from before variable frame rates were told apart: its videos read as constant-rate.
      this.db.exec('ALTER TABLE items ADD COLUMN fps_variable INTEGER NOT NULL DEFAULT 0');
    }
    const version = this.getMeta('version');
    if (version !== undefined && Number(version) > JOURNAL_VERSION) {
      throw new Error(`the upload journal ${path} was written by a newer version of the app`);
    }
    this.setMeta('version', String(JOURNAL_VERSION));
    if (this.getMeta('counts_built') === undefined) {
      // A journal from before the count triggers: build the counts once from the items.
      this.transaction(() => {
        this.db.exec('DELETE FROM item_counts');
        this.db.exec(
          'INSERT INTO item_counts (run_id, state, paused, kind, n, bytes) SELECT run_id, state, paused, kind, COUNT(*), SUM(size) FROM items GROUP BY run_id, state, paused, kind',
        );
        this.setMeta('counts_built', '1');
      });
    }
    let id = this.getMeta('journal_id');
    if (!id) {
      id = randomUUID();
      this.setMeta('journal_id', id);
    }
    return id;
  }

  /** Closes the journal and releases its lock. */
  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /** A cached prepared statement. */
  stmt(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in one transaction (committed on return, rolled back on throw). */
  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      // On some errors (a full disk, an I/O error) SQLite has already rolled the transaction back itself; a ROLLBACK
      // then fails with "no transaction is active", which would hide the error that says what happened.
      if (this.db.isTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // The error that made the transaction fail is the one to report.
        }
      }
      throw error;
    }
  }

  getMeta(key: string): string | undefined {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined;
    return row ? String(row.value) : undefined;
  }

  setMeta(key: string, value: string): void {
    this.stmt(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  // ── Runs and targets (journal-targets.ts) ───────────────────────────────────────────────────────────────

  /** The unfinished run with this key (a rerun of the same command resumes it), or a new one. */
  openRun(key: string): { id: number; resumed: boolean } {
    return targets.openRun(this, key);
  }

  /** Marks a run finished: the next identical command starts a new one. */
  finishRun(runId: number): void {
    targets.finishRun(this, runId);
  }

  /** Counts files the walk left out during a run. */
  addWalkSkipped(runId: number, count: number): void {
    targets.addWalkSkipped(this, runId, count);
  }

  /** How many files the walk left out during a run. */
  walkSkipped(runId: number): number {
    return targets.walkSkipped(this, runId);
  }

  /** The target row for a batch or a named new batch on a server (see journal-targets.ts), made on first use. */
  ensureTarget(
    workflowId: string,
    target: { batchId: string } | { newBatchName: string; enabled: boolean },
    declaredKind?: MediaKind,
    server = '',
  ): TargetRow {
    return targets.ensureTarget(this, workflowId, target, declaredKind, server);
  }

  /** A target by id. */
  getTarget(id: number): TargetRow | undefined {
    return targets.getTarget(this, id);
  }

  /** Records the intent to create the target's batch (before the POST) or its outcome (after). */
  setTargetState(id: number, state: TargetRow['state'], batchId: string | null = null): void {
    targets.setTargetState(this, id, state, batchId);
  }

  /** True when any item of the target has (or may have) a record in its batch. */
  targetHasRecords(targetId: number): boolean {
    return targets.targetHasRecords(this, targetId);
  }

  /** Forgets a new-batch target's batch, so it is created again. */
  forgetBatch(targetId: number): void {
    targets.forgetBatch(this, targetId);
  }

  // ── Items ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Queues files found by intake in one transaction. A file already in the queue is left alone; a file uploaded
   * before to the same workflow (same path, size and mtime) is queued as `skipped` "already uploaded" unless
   * `reupload` is set.
   */
  insertFiles(runId: number, target: TargetRow, files: readonly NewFile[], reupload: boolean): InsertOutcome {
    const outcome: InsertOutcome = { queued: 0, existing: 0, alreadyUploaded: 0 };
    // Seen before only on the same server and account: the same workflow id on another server is another workflow.
    const lookup = this.stmt(
      `SELECT i.state, i.size, i.mtime_ms FROM items i JOIN targets t ON t.id = i.target_id
       WHERE i.workflow_id = ? AND i.source_key = ? AND t.server = ? AND i.state NOT IN ('failed', 'canceled', 'skipped')
       ORDER BY i.id DESC LIMIT 1`,
    );
    const now = this.now();
    let queuedBytes = 0;
    let skippedBytes = 0;
    this.transaction(() => {
      tagRun(this, runId, target.server);
      for (const file of files) {
        const seen = lookup.get(target.workflowId, file.path, target.server) as Row | undefined;
        let state: StoredState = 'queued';
        let reason: string | null = null;
        if (seen && seen.state !== 'done') {
          outcome.existing++;
          continue;
        }
        if (seen && !reupload && Number(seen.size) === file.size && Number(seen.mtime_ms) === file.mtimeMs) {
          state = 'skipped';
          reason = 'already uploaded';
        }
        const inserted = this.insertFile(runId, target, file, state, reason, now);
        if (!inserted) outcome.existing++;
        else if (state === 'skipped') {
          outcome.alreadyUploaded++;
          skippedBytes += file.size;
        } else {
          outcome.queued++;
          queuedBytes += file.size;
        }
      }
      this.countInserted(runId, 'queued', 'file', outcome.queued, queuedBytes);
      this.countInserted(runId, 'skipped', 'file', outcome.alreadyUploaded, skippedBytes);
    });
    return outcome;
  }

  /**
   * Lists files a scan left out (empty, hidden, unsupported…) as skipped items with their reasons, so the queue's
   * Skipped filter shows every file the add dialog counted.
   */
  insertSkipped(
    runId: number,
    target: TargetRow,
    files: readonly { path: string; name: string; reason: string; size?: number; mtimeMs?: number }[],
  ): number {
    const now = this.now();
    return this.transaction(() => {
      tagRun(this, runId, target.server);
      let inserted = 0;
      let bytes = 0;
      for (const file of files) {
        const row = { path: file.path, name: file.name, size: file.size ?? 0, mtimeMs: file.mtimeMs ?? 0 };
        if (this.insertFile(runId, target, row, 'skipped', file.reason, now)) {
          inserted++;
          bytes += row.size;
        }
      }
      this.countInserted(runId, 'skipped', 'file', inserted, bytes);
      return inserted;
    });
  }

  /** Inserts one file item unless the run has it already; true when it was inserted. */
  private insertFile(
    runId: number,
    target: TargetRow,
    file: NewFile,
    state: StoredState,
    reason: string | null,
    now: number,
  ): boolean {
    const result = this.stmt(
      `INSERT OR IGNORE INTO items (run_id, target_id, workflow_id, kind, source_key, path, name, size, mtime_ms, md5, state, reason, created_at, updated_at)
       VALUES (?, ?, ?, 'file', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      target.id,
      target.workflowId,
      file.path,
      file.path,
      file.name,
      file.size,
      file.mtimeMs,
      file.md5 ?? null,
      state,
      reason,
      now,
      now,
    );
    return Number(result.changes) > 0;
  }

  /**
   * Queues the rows of a records file into the target's batch, leaving out rows imported there before (unless
   * `reimport`) and rows already queued (see journal-records.ts).
   */
  insertRecords(
    runId: number,
    target: TargetRow,
    path: string,
    records: readonly NewRecord[],
    reimport = false,
  ): RecordsInsertOutcome {
    tagRun(this, runId, target.server);
    return journalRecords.insertRecords(this, runId, target, path, records, reimport);
  }

  /** Adds inserted items to the count table (inserts are counted in bulk, not by a per-row trigger). */
  countInserted(runId: number, state: StoredState, kind: ItemRow['kind'], n: number, bytes: number): void {
    if (n === 0) return;
    this.stmt(
      `INSERT INTO item_counts (run_id, state, paused, kind, n, bytes) VALUES (?, ?, 0, ?, ?, ?)
       ON CONFLICT (run_id, state, paused, kind) DO UPDATE SET n = n + excluded.n, bytes = bytes + excluded.bytes`,
    ).run(runId, state, kind, n, bytes);
  }

  getItem(id: number): ItemRow | undefined {
    const row = this.stmt('SELECT * FROM items WHERE id = ?').get(id) as Row | undefined;
    return row ? toItem(row) : undefined;
  }

  /** Sets columns of one item (and its updated_at). */
  updateItem(id: number, patch: ItemPatch): void {
    if (Object.keys(patch).length === 0) return;
    const { sets, values } = patchAssignments(patch);
    this.stmt(`UPDATE items SET ${sets}, updated_at = ? WHERE id = ?`).run(...values, this.now(), id);
  }

  /**
   * Up to `limit` unpaused items of a kind in `states`, taken state by state in the order given (so items further
   * along go first), oldest first within a state, skipping the ids in `exclude`; with `server`, only those going
   * to its targets (the journal holds every profile's queue). One indexed query per state.
   */
  nextItems(
    kind: ItemRow['kind'],
    states: readonly StoredState[],
    limit: number,
    exclude: ReadonlySet<number>,
    server?: string,
  ): ItemRow[] {
    const items: ItemRow[] = [];
    const scope = onServer(server);
    for (const state of states) {
      if (items.length >= limit) break;
      const rows = this.stmt(
        `SELECT * FROM items WHERE state = ? AND paused = 0 AND kind = ? AND ${scope.sql} ORDER BY id LIMIT ?`,
      ).all(state, kind, ...scope.params, limit - items.length + exclude.size) as Row[];
      for (const row of rows) {
        if (items.length >= limit) break;
        if (!exclude.has(Number(row.id))) items.push(toItem(row));
      }
    }
    return items;
  }

  /** Sets columns of one item unless it was canceled meanwhile (a control wins over a step finishing late). */
  advanceItem(id: number, patch: ItemPatch): boolean {
    const { sets, values } = patchAssignments(patch);
    const result = this.stmt(
      `UPDATE items SET ${sets}, updated_at = ? WHERE id = ? AND state NOT IN ('canceled', 'done', 'skipped')`,
    ).run(...values, this.now(), id);
    return Number(result.changes) > 0;
  }

  /** Items of a target ready for their records step: closed files or queued records, oldest first. */
  readyForRecords(targetId: number, kind: ItemRow['kind'], limit: number): ItemRow[] {
    const state: StoredState = kind === 'file' ? 'closed' : 'queued';
    const rows = this.stmt(
      'SELECT * FROM items WHERE target_id = ? AND state = ? AND kind = ? AND paused = 0 ORDER BY id LIMIT ?',
    ).all(targetId, state, kind, limit) as Row[];
    return rows.map(toItem);
  }

  /** Targets (`server`'s, when given) with items waiting for their records step, and how many. */
  targetsWithPendingRecords(server?: string): { targetId: number; kind: ItemRow['kind']; count: number }[] {
    const scope = onServer(server);
    const rows = this.stmt(
      `SELECT target_id, kind, COUNT(*) AS n FROM items
       WHERE paused = 0 AND ((kind = 'file' AND state = 'closed') OR (kind = 'record' AND state = 'queued'))
         AND ${scope.sql}
       GROUP BY target_id, kind`,
    ).all(...scope.params) as Row[];
    return rows.map((row) => ({
      targetId: Number(row.target_id),
      kind: row.kind as ItemRow['kind'],
      count: Number(row.n),
    }));
  }

  /** Appends to an item's history of attempts and errors. */
  addEvent(itemId: number, step: string, message: string): void {
    this.stmt('INSERT INTO item_events (item_id, at, step, message) VALUES (?, ?, ?, ?)').run(
      itemId,
      this.now(),
      step,
      message,
    );
  }

  /** An item's history, oldest first. */
  events(itemId: number): { at: number; step: string; message: string }[] {
    const rows = this.stmt('SELECT at, step, message FROM item_events WHERE item_id = ? ORDER BY id').all(
      itemId,
    ) as Row[];
    return rows.map((row) => ({ at: Number(row.at), step: String(row.step), message: String(row.message) }));
  }

  // ── Record chunks (journal-chunks.ts) ───────────────────────────────────────────────────────────────────

  /** Writes a records request before it is posted: the chunk and its items (now `recording`), atomically. */
  beginChunk(
    targetId: number,
    batchId: string,
    kind: ChunkRow['kind'],
    itemIds: readonly number[],
    countBefore: number | null,
  ): number {
    return chunks.beginChunk(this, targetId, batchId, kind, itemIds, countBefore);
  }

  /** Records requests that were posting when the process stopped (only `server`'s, when given). */
  openChunks(server?: string): ChunkRow[] {
    return chunks.openChunks(this, onServer(server));
  }

  /** The items a chunk still holds in `recording`. */
  chunkItems(chunkId: number): ItemRow[] {
    return chunks.chunkItems(this, chunkId);
  }

  /** Writes a chunk's outcome in one transaction (see journal-chunks.ts). */
  settleChunk(chunkId: number, outcome: Parameters<typeof chunks.settleChunk>[2]): void {
    chunks.settleChunk(this, chunkId, outcome);
  }
}

/** Opens (creating if needed) the journal at `path`; throws JournalBusyError when another engine holds it. */
export function openJournal(path: string, now?: () => number): Journal {
  return new Journal(path, now);
}

/**
 * The upload journal on `node:sqlite`: WAL mode, one engine per journal (an exclusive SQLite lock held for the
 * life of the process and dropped by the OS if it dies), small transactions for intake so 100,000 files never
 * hold the event loop for long. Signed URLs are secrets: they are stored sealed (link-vault.ts), never in plain
 * text, so a restart can use a still-valid URL again.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { JOURNAL_SCHEMA, JOURNAL_VERSION, TARGET_INDEXES } from './journal-schema.ts';
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

type Row = Record<string, SQLInputValue>;

const COLUMN: Record<keyof ItemPatch, string> = {
  state: 'state',
  paused: 'paused',
  mediaKind: 'media_kind',
  mime: 'mime',
  fps: 'fps',
  frameCount: 'frame_count',
  md5: 'md5',
  assetName: 'asset_name',
  assetId: 'asset_id',
  sessionUrl: 'session_url',
  sessionOpenedAt: 'session_opened_at',
  etag: 'etag',
  recordId: 'record_id',
  chunkId: 'chunk_id',
  reason: 'reason',
  resumeState: 'resume_state',
  attempts: 'attempts',
};

/** Maps a raw `items` row to an ItemRow. */
export function toItem(row: Row): ItemRow {
  return {
    id: Number(row.id),
    runId: Number(row.run_id),
    targetId: Number(row.target_id),
    workflowId: String(row.workflow_id),
    kind: row.kind as ItemRow['kind'],
    sourceKey: String(row.source_key),
    path: String(row.path),
    name: String(row.name),
    size: Number(row.size),
    mtimeMs: Number(row.mtime_ms),
    mediaKind: (row.media_kind as ItemRow['mediaKind']) ?? null,
    mime: (row.mime as string | null) ?? null,
    fps: row.fps === null ? null : Number(row.fps),
    frameCount: row.frame_count === null ? null : Number(row.frame_count),
    md5: (row.md5 as string | null) ?? null,
    payload: (row.payload as string | null) ?? null,
    state: row.state as StoredState,
    paused: Number(row.paused) === 1,
    assetName: (row.asset_name as string | null) ?? null,
    assetId: (row.asset_id as string | null) ?? null,
    sessionUrl: (row.session_url as string | null) ?? null,
    sessionOpenedAt: row.session_opened_at === null ? null : Number(row.session_opened_at),
    etag: (row.etag as string | null) ?? null,
    recordId: (row.record_id as string | null) ?? null,
    chunkId: row.chunk_id === null ? null : Number(row.chunk_id),
    reason: (row.reason as string | null) ?? null,
    resumeState: (row.resume_state as StoredState | null) ?? null,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toTarget(row: Row): TargetRow {
  return {
    id: Number(row.id),
    server: String(row.server ?? ''),
    workflowId: String(row.workflow_id),
    batchId: (row.batch_id as string | null) ?? null,
    newBatchName: (row.new_batch_name as string | null) ?? null,
    enabled: Number(row.enabled) === 1,
    declaredKind: (row.declared_kind as TargetRow['declaredKind']) ?? null,
    state: row.state as TargetRow['state'],
    createdAt: Number(row.created_at),
  };
}

function toChunk(row: Row): ChunkRow {
  return {
    id: Number(row.id),
    targetId: Number(row.target_id),
    batchId: String(row.batch_id),
    kind: row.kind as ChunkRow['kind'],
    state: row.state as ChunkRow['state'],
    countBefore: row.count_before === null ? null : Number(row.count_before),
    createdAt: Number(row.created_at),
  };
}

/** What inserting a slice of files did. */
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
  private readonly now: () => number;

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
    this.db.exec(JOURNAL_SCHEMA);
    const targetColumns = this.db.prepare('PRAGMA table_info(targets)').all() as Row[];
    if (!targetColumns.some((column) => column.name === 'server')) {
      // A version 1 journal: its targets were keyed without the server; they keep '' and match no server again.
      this.db.exec("ALTER TABLE targets ADD COLUMN server TEXT NOT NULL DEFAULT ''");
    }
    this.db.exec(TARGET_INDEXES);
    const version = this.getMeta('version');
    if (version !== undefined && Number(version) > JOURNAL_VERSION) {
      this.db.close();
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
    this.journalId = id;
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
      this.db.exec('ROLLBACK');
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

  // ── Runs ────────────────────────────────────────────────────────────────────────────────────────────────

  /** The unfinished run with this key (a rerun of the same command resumes it), or a new one. */
  openRun(key: string): { id: number; resumed: boolean } {
    const row = this.stmt(
      "SELECT id FROM runs WHERE key = ? AND state = 'active' ORDER BY id DESC LIMIT 1",
    ).get(key) as Row | undefined;
    if (row) return { id: Number(row.id), resumed: true };
    const result = this.stmt("INSERT INTO runs (key, state, started_at) VALUES (?, 'active', ?)").run(
      key,
      this.now(),
    );
    return { id: Number(result.lastInsertRowid), resumed: false };
  }

  /** Marks a run finished: the next identical command starts a new one. */
  finishRun(runId: number): void {
    this.stmt("UPDATE runs SET state = 'finished' WHERE id = ?").run(runId);
  }

  /** Counts files the walk left out during a run. */
  addWalkSkipped(runId: number, count: number): void {
    this.stmt('UPDATE runs SET walk_skipped = walk_skipped + ? WHERE id = ?').run(count, runId);
  }

  walkSkipped(runId: number): number {
    const row = this.stmt('SELECT walk_skipped FROM runs WHERE id = ?').get(runId) as Row | undefined;
    return row ? Number(row.walk_skipped) : 0;
  }

  // ── Targets ─────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The target row for an existing batch or a named new batch, created on first use. Keyed by server (API base URL
   * and username, see serverKey), workflow and batch id or name: a batch remembered for one server is never used on
   * another.
   */
  ensureTarget(
    workflowId: string,
    target: { batchId: string } | { newBatchName: string; enabled: boolean },
    declaredKind?: MediaKind,
    server = '',
  ): TargetRow {
    const row = this.findOrInsertTarget(server, workflowId, target);
    if (declaredKind && row.declaredKind !== declaredKind) {
      this.stmt('UPDATE targets SET declared_kind = ? WHERE id = ?').run(declaredKind, row.id);
      return { ...row, declaredKind };
    }
    return row;
  }

  private findOrInsertTarget(
    server: string,
    workflowId: string,
    target: { batchId: string } | { newBatchName: string; enabled: boolean },
  ): TargetRow {
    if ('batchId' in target) {
      const found = this.stmt(
        'SELECT * FROM targets WHERE server = ? AND workflow_id = ? AND batch_id = ? AND new_batch_name IS NULL',
      ).get(server, workflowId, target.batchId) as Row | undefined;
      if (found) return toTarget(found);
      this.stmt(
        "INSERT INTO targets (server, workflow_id, batch_id, state, created_at) VALUES (?, ?, ?, 'ready', ?)",
      ).run(server, workflowId, target.batchId, this.now());
    } else {
      const found = this.stmt(
        'SELECT * FROM targets WHERE server = ? AND workflow_id = ? AND new_batch_name = ?',
      ).get(server, workflowId, target.newBatchName) as Row | undefined;
      if (found) return toTarget(found);
      this.stmt(
        "INSERT INTO targets (server, workflow_id, new_batch_name, enabled, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
      ).run(server, workflowId, target.newBatchName, target.enabled ? 1 : 0, this.now());
    }
    return this.findOrInsertTarget(server, workflowId, target);
  }

  getTarget(id: number): TargetRow | undefined {
    const row = this.stmt('SELECT * FROM targets WHERE id = ?').get(id) as Row | undefined;
    return row ? toTarget(row) : undefined;
  }

  /** Records the intent to create the target's batch (before the POST) or its outcome (after). */
  setTargetState(id: number, state: TargetRow['state'], batchId: string | null = null): void {
    this.stmt('UPDATE targets SET state = ?, batch_id = COALESCE(?, batch_id) WHERE id = ?').run(
      state,
      batchId,
      id,
    );
  }

  /** True when any item of the target has (or may have) a record in its batch: a records request went out. */
  targetHasRecords(targetId: number): boolean {
    const row = this.stmt(
      `SELECT 1 FROM items WHERE target_id = ? AND (record_id IS NOT NULL OR state IN ('recording', 'recorded', 'done'))
       UNION ALL SELECT 1 FROM chunks WHERE target_id = ? AND state = 'posting' LIMIT 1`,
    ).get(targetId, targetId);
    return row !== undefined;
  }

  /** Forgets a new-batch target's batch, so it is created again (only when no record of it could be duplicated). */
  forgetBatch(targetId: number): void {
    this.stmt(
      "UPDATE targets SET state = 'pending', batch_id = NULL WHERE id = ? AND new_batch_name IS NOT NULL",
    ).run(targetId);
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
    const insert = this.stmt(
      `INSERT OR IGNORE INTO items (run_id, target_id, workflow_id, kind, source_key, path, name, size, mtime_ms, state, reason, created_at, updated_at)
       VALUES (?, ?, ?, 'file', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = this.now();
    let queuedBytes = 0;
    let skippedBytes = 0;
    this.transaction(() => {
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
        const result = insert.run(
          runId,
          target.id,
          target.workflowId,
          file.path,
          file.path,
          file.name,
          file.size,
          file.mtimeMs,
          state,
          reason,
          now,
          now,
        );
        if (result.changes === 0) outcome.existing++;
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

  /** Queues the records of a records file in one transaction; a rerun of the same run leaves them alone. */
  insertRecords(
    runId: number,
    target: TargetRow,
    path: string,
    records: readonly NewRecord[],
  ): InsertOutcome {
    const outcome: InsertOutcome = { queued: 0, existing: 0, alreadyUploaded: 0 };
    const insert = this.stmt(
      `INSERT OR IGNORE INTO items (run_id, target_id, workflow_id, kind, source_key, path, name, payload, state, created_at, updated_at)
       VALUES (?, ?, ?, 'record', ?, ?, ?, ?, 'queued', ?, ?)`,
    );
    const now = this.now();
    this.transaction(() => {
      for (const record of records) {
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
      this.countInserted(runId, 'queued', 'record', outcome.queued, 0);
    });
    return outcome;
  }

  /** Adds inserted items to the count table (inserts are counted in bulk, not by a per-row trigger). */
  private countInserted(
    runId: number,
    state: StoredState,
    kind: ItemRow['kind'],
    n: number,
    bytes: number,
  ): void {
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
    const keys = Object.keys(patch) as (keyof ItemPatch)[];
    if (keys.length === 0) return;
    const sets = keys.map((key) => `${COLUMN[key]} = ?`).join(', ');
    const values = keys.map((key) => {
      const value = patch[key];
      if (typeof value === 'boolean') return value ? 1 : 0;
      return (value ?? null) as SQLInputValue;
    });
    this.stmt(`UPDATE items SET ${sets}, updated_at = ? WHERE id = ?`).run(...values, this.now(), id);
  }

  /**
   * Up to `limit` unpaused items of a kind in `states`, taken state by state in the order given (so items further
   * along go first), oldest first within a state, skipping the ids in `exclude`. One indexed query per state.
   */
  nextItems(
    kind: ItemRow['kind'],
    states: readonly StoredState[],
    limit: number,
    exclude: ReadonlySet<number>,
  ): ItemRow[] {
    const items: ItemRow[] = [];
    for (const state of states) {
      if (items.length >= limit) break;
      const rows = this.stmt(
        'SELECT * FROM items WHERE state = ? AND paused = 0 AND kind = ? ORDER BY id LIMIT ?',
      ).all(state, kind, limit - items.length + exclude.size) as Row[];
      for (const row of rows) {
        if (items.length >= limit) break;
        if (!exclude.has(Number(row.id))) items.push(toItem(row));
      }
    }
    return items;
  }

  /** Sets columns of one item unless it was canceled meanwhile (a control wins over a step finishing late). */
  advanceItem(id: number, patch: ItemPatch): boolean {
    const keys = Object.keys(patch) as (keyof ItemPatch)[];
    const sets = keys.map((key) => `${COLUMN[key]} = ?`).join(', ');
    const values = keys.map((key) => {
      const value = patch[key];
      if (typeof value === 'boolean') return value ? 1 : 0;
      return (value ?? null) as SQLInputValue;
    });
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

  /** Targets with items waiting for their records step, and how many. */
  targetsWithPendingRecords(): { targetId: number; kind: ItemRow['kind']; count: number }[] {
    const rows = this.stmt(
      `SELECT target_id, kind, COUNT(*) AS n FROM items
       WHERE paused = 0 AND ((kind = 'file' AND state = 'closed') OR (kind = 'record' AND state = 'queued'))
       GROUP BY target_id, kind`,
    ).all() as Row[];
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

  // ── Record chunks ───────────────────────────────────────────────────────────────────────────────────────

  /** Writes a records request before it is posted: the chunk and its items (now `recording`), atomically. */
  beginChunk(
    targetId: number,
    batchId: string,
    kind: ChunkRow['kind'],
    itemIds: readonly number[],
    countBefore: number | null,
  ): number {
    return this.transaction(() => {
      const result = this.stmt(
        "INSERT INTO chunks (target_id, batch_id, kind, state, count_before, created_at) VALUES (?, ?, ?, 'posting', ?, ?)",
      ).run(targetId, batchId, kind, countBefore, this.now());
      const chunkId = Number(result.lastInsertRowid);
      const mark = this.stmt(
        "UPDATE items SET state = 'recording', chunk_id = ?, updated_at = ? WHERE id = ?",
      );
      const now = this.now();
      for (const id of itemIds) mark.run(chunkId, now, id);
      return chunkId;
    });
  }

  /** Records requests that were posting when the process stopped. */
  openChunks(): ChunkRow[] {
    return (this.stmt("SELECT * FROM chunks WHERE state = 'posting' ORDER BY id").all() as Row[]).map(
      toChunk,
    );
  }

  chunkItems(chunkId: number): ItemRow[] {
    return (
      this.stmt("SELECT * FROM items WHERE chunk_id = ? AND state = 'recording' ORDER BY id").all(
        chunkId,
      ) as Row[]
    ).map(toItem);
  }

  /**
   * Writes a chunk's outcome in one transaction: records created (done), items rejected (failed with the server's
   * reason), and items to post again (back to their ready state).
   */
  settleChunk(
    chunkId: number,
    outcome: {
      created: readonly { itemId: number; recordId: string | null }[];
      rejected: readonly { itemId: number; reason: string }[];
      again: readonly { itemId: number; kind: ItemRow['kind'] }[];
    },
  ): void {
    this.transaction(() => {
      const now = this.now();
      const done = this.stmt(
        "UPDATE items SET state = 'done', record_id = ?, chunk_id = NULL, updated_at = ? WHERE id = ?",
      );
      for (const c of outcome.created) done.run(c.recordId, now, c.itemId);
      const fail = this.stmt(
        "UPDATE items SET state = 'failed', reason = ?, resume_state = ?, chunk_id = NULL, updated_at = ? WHERE id = ?",
      );
      for (const r of outcome.rejected) {
        const item = this.getItem(r.itemId);
        fail.run(r.reason, item?.kind === 'record' ? 'queued' : 'closed', now, r.itemId);
        this.addEvent(r.itemId, 'record', r.reason);
      }
      const again = this.stmt('UPDATE items SET state = ?, chunk_id = NULL, updated_at = ? WHERE id = ?');
      for (const a of outcome.again) again.run(a.kind === 'record' ? 'queued' : 'closed', now, a.itemId);
      this.stmt("UPDATE chunks SET state = 'done' WHERE id = ?").run(chunkId);
    });
  }
}

/** Opens (creating if needed) the journal at `path`; throws JournalBusyError when another engine holds it. */
export function openJournal(path: string, now?: () => number): Journal {
  return new Journal(path, now);
}

/**
 * The upload journal on `node:sqlite`: WAL mode, one engine per journal (an exclusive SQLite lock held for the
 * life of the process and dropped by the OS if it dies), small transactions for intake so 100,000 files never
 * hold the event loop for long. Signed URLs are secrets: they are stored sealed (link-vault.ts), never in plain
 * text, so a restart can use a still-valid URL again.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { GroupCommit } from './group-commit.ts';
import type { Row } from './rows.ts';
import { JOURNAL_SCHEMA, JOURNAL_VERSION, TARGET_INDEXES } from './schema.ts';
import { addRunColumns } from './run-scope.ts';

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
  /** The steps' writes, committed together once per turn of the event loop (group-commit.ts). */
  readonly grouped: GroupCommit;

  constructor(path: string, now: () => number = Date.now) {
    this.path = path;
    this.now = now;
    this.db = new DatabaseSync(path, { timeout: 0 });
    this.grouped = new GroupCommit(this);
    try {
      // EXCLUSIVE locking: the first write takes a lock held until close (or process death), so a second engine
      // on the same journal fails at once instead of interleaving with this one. Temporary storage in memory:
      // each state change runs the counting trigger, whose statement journal would otherwise be a temporary file
      // made and removed per write (measured: 16,000 state changes took 1.1 CPU-s with it, 0.4 without).
      this.db.exec(
        'PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;',
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
    if (!this.db.isOpen) return;
    // Writes still waiting for their group are committed, not dropped.
    this.grouped.flush();
    this.db.close();
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

  /**
   * Runs `fn` in one transaction (committed on return, rolled back on throw). Inside a grouped write (already in
   * the group's transaction, in a savepoint of its own) `fn` simply runs there.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.isTransaction) return fn();
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
}

/** Opens (creating if needed) the journal at `path`; throws JournalBusyError when another engine holds it. */
export function openJournal(path: string, now?: () => number): Journal {
  return new Journal(path, now);
}

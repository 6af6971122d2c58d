/**
 * Group commit: the journal writes of many items made in one turn of the event loop go into ONE SQLite
 * transaction, committed once at the end of that turn. A commit costs far more than the update it carries (the WAL
 * frames of every page it touched, and a checkpoint with its fsyncs every thousand pages), so 2,000 files taking
 * six steps each cost 12,000 commits written one by one and a few thousand grouped.
 *
 * Each write resolves only once the transaction that holds it is committed, so a step that awaits its intent
 * before sending the request keeps the journal's rule: no request goes out before its intent is on disk. Writes
 * run in the order they were submitted, each in a savepoint of its own: a write that throws is undone and fails
 * alone, the others of the group still commit; a commit that fails fails every write of its group, and none of
 * the next. A write of one statement needs no savepoint: SQLite undoes a failing statement whole (its triggers'
 * changes included), and the two savepoint statements cost as much as the update they would wrap.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

interface PendingWrite {
  write: () => unknown;
  /** The write runs one statement: SQLite undoes it whole when it fails, no savepoint needed. */
  oneStatement: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What the group commit needs of the connection (the journal's). */
interface GroupCommitDb {
  readonly db: DatabaseSync;
  stmt(sql: string): StatementSync;
}

/** Runs the writes submitted in one turn of the event loop in one transaction (see the file comment). */
export class GroupCommit {
  private readonly connection: GroupCommitDb;
  private readonly schedule: (flush: () => void) => void;
  private pending: PendingWrite[] = [];
  private scheduled = false;
  /** Transactions committed so far (for tests and measurements). */
  commits = 0;

  constructor(
    connection: GroupCommitDb,
    schedule: (flush: () => void) => void = (flush) => setImmediate(flush),
  ) {
    this.connection = connection;
    this.schedule = schedule;
  }

  /** Writes waiting for their commit. */
  get waiting(): number {
    return this.pending.length;
  }

  /**
   * Queues `write` for the next group commit; resolves with its result once that commit is durable. `oneStatement`
   * declares that the write runs a single statement (see the file comment).
   */
  submit<T>(write: () => T, options: { oneStatement?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        write,
        oneStatement: options.oneStatement ?? false,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.scheduled) return;
      this.scheduled = true;
      this.schedule(() => this.flush());
    });
  }

  /** Commits what is waiting now (the scheduled flush, and the journal before it closes). */
  flush(): void {
    this.scheduled = false;
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    const { db } = this.connection;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const entry of group) {
        const savepoint = !entry.oneStatement;
        if (savepoint) this.connection.stmt('SAVEPOINT grouped_write').run();
        try {
          outcomes.push({ ok: true, value: entry.write() });
          if (savepoint) this.connection.stmt('RELEASE grouped_write').run();
        } catch (error) {
          // Some errors (a full disk) end the whole transaction: then every write of the group fails with it.
          if (!db.isTransaction) throw error;
          outcomes.push({ ok: false, error });
          if (savepoint) {
            this.connection.stmt('ROLLBACK TO grouped_write').run();
            this.connection.stmt('RELEASE grouped_write').run();
          }
        }
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // The error that made the commit fail is the one to report.
        }
      }
      for (const entry of group) entry.reject(error);
      return;
    }
    this.commits += 1;
    group.forEach((entry, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) entry.resolve(outcome.value);
      else entry.reject(outcome?.error);
    });
  }
}

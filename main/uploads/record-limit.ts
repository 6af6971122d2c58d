/**
 * A cost limit per run: `--max-records N` means the run never creates record N+1, whatever the kills and reruns.
 *
 * Two guards, both in the journal so that they survive a kill:
 * - The hard one is at the records step. A record is counted from the moment its item is written into a chunk
 *   ('recording', before the POST) until it is settled, so a chunk whose outcome is unknown still counts. A chunk
 *   only takes as many items as the run has left; the rest are held.
 * - The soft one saves uploads that could never get a record: a queued file starts its intake only while the
 *   run's files under way or done are below the limit. A failed or rejected file frees its place.
 * Held items are paused with HELD_REASON, so the run settles and the queue keeps them; a rerun releases them and
 * they are held again if the limit still stands.
 */
import { HELD_REASON } from '../../common/api.ts';
import type { Journal } from './journal/journal.ts';
import { UPLOAD_STATES } from './journal/item-types.ts';
import type { ItemRow, StoredState } from './journal/item-types.ts';

/** States in which a record may exist: its request written (before the POST), or settled with one. */
const RECORDED: readonly StoredState[] = ['recording', 'recorded', 'done'];
/** States that count against the limit: under way to a record, or with one. */
const ADMITTED: readonly StoredState[] = [...UPLOAD_STATES, 'closed', ...RECORDED];

type Row = Record<string, unknown>;

/** The limits of a journal's runs. */
export class RecordLimits {
  private readonly journal: Journal;
  /** Run id → limit (null: none), read once per run: a limit only changes through `set`. */
  private readonly cache = new Map<number, number | null>();

  constructor(journal: Journal) {
    this.journal = journal;
    journal
      .stmt(
        'CREATE TABLE IF NOT EXISTS run_limits (run_id INTEGER PRIMARY KEY, max_records INTEGER NOT NULL)',
      )
      .run();
  }

  /** Sets (or with null removes) the run's limit, and releases its held items to be weighed again. */
  set(runId: number, maxRecords: number | null): void {
    this.journal.transaction(() => {
      if (maxRecords === null) this.journal.stmt('DELETE FROM run_limits WHERE run_id = ?').run(runId);
      else
        this.journal
          .stmt(
            'INSERT INTO run_limits (run_id, max_records) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET max_records = excluded.max_records',
          )
          .run(runId, maxRecords);
      this.journal
        .stmt('UPDATE items SET paused = 0, reason = NULL WHERE run_id = ? AND paused = 1 AND reason = ?')
        .run(runId, HELD_REASON);
    });
    this.cache.set(runId, maxRecords);
  }

  /** The run's limit, or null. */
  limitOf(runId: number): number | null {
    const cached = this.cache.get(runId);
    if (cached !== undefined) return cached;
    const row = this.journal.stmt('SELECT max_records FROM run_limits WHERE run_id = ?').get(runId) as
      Row | undefined;
    const limit = row ? Number(row.max_records) : null;
    this.cache.set(runId, limit);
    return limit;
  }

  /** Items of the run held by its limit. */
  heldCount(runId: number): number {
    const row = this.journal
      .stmt('SELECT COUNT(*) AS n FROM items WHERE run_id = ? AND paused = 1 AND reason = ?')
      .get(runId, HELD_REASON) as Row;
    return Number(row.n);
  }

  /**
   * Whether a queued file may start its intake, given `starting` other files of its run in intake now: 'start',
   * 'wait' (those may still fail and free a place), or 'held' (the limit is reached: every queued file of the run
   * is held).
   */
  admit(item: ItemRow, starting: number): 'start' | 'wait' | 'held' {
    const limit = this.limitOf(item.runId);
    if (limit === null) return 'start';
    const admitted = this.countIn(item.runId, ADMITTED);
    if (admitted + starting < limit) return 'start';
    if (starting > 0) return 'wait';
    this.journal
      .stmt(
        "UPDATE items SET paused = 1, reason = ? WHERE run_id = ? AND kind = 'file' AND state = 'queued' AND paused = 0",
      )
      .run(HELD_REASON, item.runId);
    return 'held';
  }

  /**
   * The items of a chunk that fit their runs' limits, in order; the others are held (they keep their state and
   * wait for a rerun with a higher limit).
   */
  fitChunk(items: readonly ItemRow[]): ItemRow[] {
    const left = new Map<number, number>();
    const fit: ItemRow[] = [];
    const held: number[] = [];
    for (const item of items) {
      const limit = this.limitOf(item.runId);
      if (limit === null) {
        fit.push(item);
        continue;
      }
      const remaining = left.get(item.runId) ?? limit - this.countIn(item.runId, RECORDED);
      if (remaining > 0) fit.push(item);
      else held.push(item.id);
      left.set(item.runId, remaining - 1);
    }
    if (held.length > 0) {
      const hold = this.journal.stmt('UPDATE items SET paused = 1, reason = ? WHERE id = ?');
      this.journal.transaction(() => {
        for (const id of held) hold.run(HELD_REASON, id);
      });
    }
    return fit;
  }

  private countIn(runId: number, states: readonly string[]): number {
    const row = this.journal
      .stmt(
        `SELECT COALESCE(SUM(n), 0) AS n FROM item_counts WHERE run_id = ? AND state IN (${states.map(() => '?').join(', ')})`,
      )
      .get(runId, ...states) as Row;
    return Number(row.n);
  }
}

/**
 * `--skip-duplicate-content`: files of one run with identical bytes (the same image copied into two folders) are
 * uploaded once. The MD5 that intake computes anyway decides; in such a run every file is hashed at intake,
 * whatever its size, since a large copy is where skipping saves the most. The first file of a content to pass its
 * intake is uploaded; the others are skipped, naming it.
 */
import type { Journal } from '../journal/journal.ts';
import type { ItemRow } from '../journal/item-types.ts';

type Row = Record<string, unknown>;

/** The skip reason of a file whose content another file of the run already has. */
export function identicalReason(twin: string): string {
  return `identical content to ${twin}, uploaded once (--skip-duplicate-content)`;
}

/** The runs that upload each content once. */
export class ContentDedupe {
  private readonly journal: Journal;
  private readonly cache = new Map<number, boolean>();

  constructor(journal: Journal) {
    this.journal = journal;
    journal.stmt('CREATE TABLE IF NOT EXISTS run_content_dedupe (run_id INTEGER PRIMARY KEY)').run();
  }

  /** Turns it on or off for the run. */
  set(runId: number, on: boolean): void {
    if (on) {
      // Built on first use only: runs without the option pay nothing for it.
      this.journal
        .stmt('CREATE INDEX IF NOT EXISTS items_run_md5 ON items(run_id, md5) WHERE md5 IS NOT NULL')
        .run();
      this.journal.stmt('INSERT OR IGNORE INTO run_content_dedupe (run_id) VALUES (?)').run(runId);
    } else this.journal.stmt('DELETE FROM run_content_dedupe WHERE run_id = ?').run(runId);
    this.cache.set(runId, on);
  }

  /** True when the item's run uploads each content once. */
  appliesTo(item: Pick<ItemRow, 'runId' | 'kind'>): boolean {
    if (item.kind !== 'file') return false;
    const cached = this.cache.get(item.runId);
    if (cached !== undefined) return cached;
    const on =
      this.journal.stmt('SELECT 1 FROM run_content_dedupe WHERE run_id = ?').get(item.runId) !== undefined;
    this.cache.set(item.runId, on);
    return on;
  }

  /** The path of another file of the run with this content that is being uploaded or was, or null. */
  twinOf(item: Pick<ItemRow, 'id' | 'runId'>, md5: string): string | null {
    const row = this.journal
      .stmt(
        `SELECT path FROM items WHERE run_id = ? AND md5 = ? AND id != ? AND kind = 'file'
         AND state NOT IN ('queued', 'failed', 'canceled', 'skipped') ORDER BY id LIMIT 1`,
      )
      .get(item.runId, md5, item.id) as Row | undefined;
    return row ? String(row.path) : null;
  }
}

/**
 * Records requests in the journal: a chunk and its items are written before the POST, and settled in one
 * transaction after it, so a crash in between leaves a `posting` chunk to reconcile against the server.
 */
import type { Journal } from './journal.ts';
import { addEvent, getItem, onServer } from './items.ts';
import { toChunk, toItem } from './rows.ts';
import type { Row } from './rows.ts';
import type { ChunkRow, ItemRow } from './item-types.ts';

/** Writes a records request before it is posted: the chunk and its items (now `recording`), atomically. */
export function beginChunk(
  journal: Journal,
  targetId: number,
  batchId: string,
  kind: ChunkRow['kind'],
  itemIds: readonly number[],
  countBefore: number | null,
): number {
  return journal.transaction(() => {
    const result = journal
      .stmt(
        "INSERT INTO chunks (target_id, batch_id, kind, state, count_before, created_at) VALUES (?, ?, ?, 'posting', ?, ?)",
      )
      .run(targetId, batchId, kind, countBefore, journal.now());
    const chunkId = Number(result.lastInsertRowid);
    const mark = journal.stmt(
      "UPDATE items SET state = 'recording', chunk_id = ?, updated_at = ? WHERE id = ?",
    );
    const now = journal.now();
    for (const id of itemIds) mark.run(chunkId, now, id);
    return chunkId;
  });
}

/** Records requests that were posting when the process stopped (only `server`'s, when given). */
export function openChunks(journal: Journal, server?: string): ChunkRow[] {
  const scope = onServer(server);
  const rows = journal
    .stmt(`SELECT * FROM chunks WHERE state = 'posting' AND ${scope.sql} ORDER BY id`)
    .all(...scope.params) as Row[];
  return rows.map(toChunk);
}

/** The items a chunk still holds in `recording`. */
export function chunkItems(journal: Journal, chunkId: number): ItemRow[] {
  return (
    journal
      .stmt("SELECT * FROM items WHERE chunk_id = ? AND state = 'recording' ORDER BY id")
      .all(chunkId) as Row[]
  ).map(toItem);
}

/**
 * Writes a chunk's outcome in one transaction: records created (done), items rejected (failed with the server's
 * reason), and items to post again (back to their ready state).
 */
export function settleChunk(
  journal: Journal,
  chunkId: number,
  outcome: {
    created: readonly { itemId: number; recordId: string | null }[];
    rejected: readonly { itemId: number; reason: string }[];
    again: readonly { itemId: number; kind: ItemRow['kind'] }[];
  },
): void {
  journal.transaction(() => {
    const now = journal.now();
    const done = journal.stmt(
      "UPDATE items SET state = 'done', record_id = ?, chunk_id = NULL, updated_at = ? WHERE id = ?",
    );
    for (const c of outcome.created) done.run(c.recordId, now, c.itemId);
    const fail = journal.stmt(
      "UPDATE items SET state = 'failed', reason = ?, resume_state = ?, chunk_id = NULL, updated_at = ? WHERE id = ?",
    );
    for (const r of outcome.rejected) {
      const item = getItem(journal, r.itemId);
      fail.run(r.reason, item?.kind === 'record' ? 'queued' : 'closed', now, r.itemId);
      addEvent(journal, r.itemId, 'record', r.reason);
    }
    const again = journal.stmt('UPDATE items SET state = ?, chunk_id = NULL, updated_at = ? WHERE id = ?');
    for (const a of outcome.again) again.run(a.kind === 'record' ? 'queued' : 'closed', now, a.itemId);
    journal.stmt("UPDATE chunks SET state = 'done' WHERE id = ?").run(chunkId);
  });
}

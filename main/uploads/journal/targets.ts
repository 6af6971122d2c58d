/**
 * Runs and batch targets in the journal. A run is one intake session, resumed by the same key; a target is where
 * items go, keyed by server and account, workflow, and batch id or new batch name, so a batch is made only once.
 */
import type { MediaKind } from '../../../common/alegion.ts';
import type { Journal } from './journal.ts';
import { toTarget } from './rows.ts';
import type { Row } from './rows.ts';
import type { TargetRow } from './item-types.ts';

/** The unfinished run with this key (a rerun of the same command resumes it), or a new one. */
export function openRun(journal: Journal, key: string): { id: number; resumed: boolean } {
  const row = journal
    .stmt("SELECT id FROM runs WHERE key = ? AND state = 'active' ORDER BY id DESC LIMIT 1")
    .get(key) as Row | undefined;
  if (row) return { id: Number(row.id), resumed: true };
  const result = journal
    .stmt("INSERT INTO runs (key, state, started_at) VALUES (?, 'active', ?)")
    .run(key, journal.now());
  return { id: Number(result.lastInsertRowid), resumed: false };
}

/** Marks a run finished: the next identical command starts a new one. */
export function finishRun(journal: Journal, runId: number): void {
  journal.stmt("UPDATE runs SET state = 'finished' WHERE id = ?").run(runId);
}

/** Counts files the walk left out during a run. */
export function addWalkSkipped(journal: Journal, runId: number, count: number): void {
  journal.stmt('UPDATE runs SET walk_skipped = walk_skipped + ? WHERE id = ?').run(count, runId);
}

/** How many files the walk left out during a run. */
export function walkSkipped(journal: Journal, runId: number): number {
  const row = journal.stmt('SELECT walk_skipped FROM runs WHERE id = ?').get(runId) as Row | undefined;
  return row ? Number(row.walk_skipped) : 0;
}

/**
 * The target row for an existing batch or a named new batch, created on first use. Keyed by server (API base URL
 * and username, see serverKey), workflow and batch id or name: a batch remembered for one server is never used on
 * another.
 */
export function ensureTarget(
  journal: Journal,
  workflowId: string,
  target: { batchId: string } | { newBatchName: string; enabled: boolean },
  declaredKind?: MediaKind,
  server = '',
): TargetRow {
  const row = findOrInsertTarget(journal, server, workflowId, target);
  if (declaredKind && row.declaredKind !== declaredKind) {
    journal.stmt('UPDATE targets SET declared_kind = ? WHERE id = ?').run(declaredKind, row.id);
    return { ...row, declaredKind };
  }
  return row;
}

function findOrInsertTarget(
  journal: Journal,
  server: string,
  workflowId: string,
  target: { batchId: string } | { newBatchName: string; enabled: boolean },
): TargetRow {
  if ('batchId' in target) {
    const found = journal
      .stmt(
        'SELECT * FROM targets WHERE server = ? AND workflow_id = ? AND batch_id = ? AND new_batch_name IS NULL',
      )
      .get(server, workflowId, target.batchId) as Row | undefined;
    if (found) return toTarget(found);
    journal
      .stmt(
        "INSERT INTO targets (server, workflow_id, batch_id, state, created_at) VALUES (?, ?, ?, 'ready', ?)",
      )
      .run(server, workflowId, target.batchId, journal.now());
  } else {
    const found = journal
      .stmt('SELECT * FROM targets WHERE server = ? AND workflow_id = ? AND new_batch_name = ?')
      .get(server, workflowId, target.newBatchName) as Row | undefined;
    if (found) return toTarget(found);
    journal
      .stmt(
        "INSERT INTO targets (server, workflow_id, new_batch_name, enabled, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
      )
      .run(server, workflowId, target.newBatchName, target.enabled ? 1 : 0, journal.now());
  }
  return findOrInsertTarget(journal, server, workflowId, target);
}

/** The batch id a named new batch got, if the journal knows one; writes nothing (for a dry run). */
export function knownNewBatch(
  journal: Journal,
  server: string,
  workflowId: string,
  name: string,
): string | null {
  const row = journal
    .stmt('SELECT batch_id FROM targets WHERE server = ? AND workflow_id = ? AND new_batch_name = ?')
    .get(server, workflowId, name) as Row | undefined;
  return row?.batch_id ? String(row.batch_id) : null;
}

/** A target by id. */
export function getTarget(journal: Journal, id: number): TargetRow | undefined {
  const row = journal.stmt('SELECT * FROM targets WHERE id = ?').get(id) as Row | undefined;
  return row ? toTarget(row) : undefined;
}

/** Records the intent to create the target's batch (before the POST) or its outcome (after). */
export function setTargetState(
  journal: Journal,
  id: number,
  state: TargetRow['state'],
  batchId: string | null = null,
): void {
  journal
    .stmt('UPDATE targets SET state = ?, batch_id = COALESCE(?, batch_id) WHERE id = ?')
    .run(state, batchId, id);
}

/** True when any item of the target has (or may have) a record in its batch: a records request went out. */
export function targetHasRecords(journal: Journal, targetId: number): boolean {
  const row = journal
    .stmt(
      `SELECT 1 FROM items WHERE target_id = ? AND (record_id IS NOT NULL OR state IN ('recording', 'recorded', 'done'))
     UNION ALL SELECT 1 FROM chunks WHERE target_id = ? AND state = 'posting' LIMIT 1`,
    )
    .get(targetId, targetId);
  return row !== undefined;
}

/** Forgets a new-batch target's batch, so it is created again (only when no record of it could be duplicated). */
export function forgetBatch(journal: Journal, targetId: number): void {
  journal
    .stmt("UPDATE targets SET state = 'pending', batch_id = NULL WHERE id = ? AND new_batch_name IS NOT NULL")
    .run(targetId);
}

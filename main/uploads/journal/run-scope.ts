/**
 * Which runs the app's queue shows and counts. One journal holds the uploads of every profile, and of every add
 * since it was made; the queue view shows only the current server and account's runs that "Clear finished" has
 * not taken out, and the totals count the current work: the runs added since the queue last had nothing left to
 * do. A run is one add (one transfer): its items all go to one target, so its server is its target's.
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { WorkflowUse } from '../../../common/api.ts';
import type { Journal } from './journal.ts';

/** The runs the app shows: those of one server and account, not cleared, and (for the totals) from a run on. */
export interface RunScope {
  server: string;
  /** Runs before this id are left out (0: every run of the server). */
  fromRunId?: number;
}

/** States in which an item has nothing left to do. */
const SETTLED = "('done', 'canceled', 'skipped')";

/** Adds the runs' server and cleared columns to a journal made before them, and fills the server in. */
export function addRunColumns(db: DatabaseSync): void {
  const columns = db.prepare('PRAGMA table_info(runs)').all() as { name: string }[];
  if (!columns.some((column) => column.name === 'server')) db.exec('ALTER TABLE runs ADD COLUMN server TEXT');
  if (!columns.some((column) => column.name === 'cleared'))
    db.exec('ALTER TABLE runs ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0');
  db.exec(
    `UPDATE runs SET server = (SELECT t.server FROM items i JOIN targets t ON t.id = i.target_id
       WHERE i.run_id = runs.id LIMIT 1)
     WHERE server IS NULL AND EXISTS (SELECT 1 FROM items WHERE run_id = runs.id)`,
  );
}

/** Notes the server of a run as its first items come in. */
export function tagRun(journal: Journal, runId: number, server: string): void {
  journal.stmt('UPDATE runs SET server = ? WHERE id = ? AND server IS NULL').run(server, runId);
}

/** The SQL condition (on `run_id`) and its parameters that keep a query to the scope's runs. */
export function scopeClause(scope: RunScope): { sql: string; params: SQLInputValue[] } {
  return {
    sql: 'run_id IN (SELECT id FROM runs WHERE server = ? AND cleared = 0 AND id >= ?)',
    params: [scope.server, scope.fromRunId ?? 0],
  };
}

const workKey = (server: string): string => `work_from:${server}`;

/** The first run of the current work on a server (0 when none was marked). */
export function workFrom(journal: Journal, server: string): number {
  return Number(journal.getMeta(workKey(server)) ?? 0);
}

/**
 * A new add on a server: when nothing shown is left to do (waiting, under way or paused), the totals start again
 * from this run, so a fresh upload starts at 0 of its own files rather than adding up every earlier one.
 */
export function startWork(journal: Journal, server: string, runId: number): void {
  const pending = journal
    .stmt(
      `SELECT 1 FROM item_counts WHERE n > 0 AND run_id <> ? AND state NOT IN ${SETTLED} AND state <> 'failed'
         AND run_id IN (SELECT id FROM runs WHERE server = ? AND cleared = 0) LIMIT 1`,
    )
    .get(runId, server);
  if (!pending) journal.setMeta(workKey(server), String(runId));
}

/**
 * "Clear finished": takes out of the view every run of the server with nothing left to do and nothing failed
 * (a failed file stays until it is retried or canceled). Returns how many items left the view. The items stay in
 * the journal, so files uploaded before are still recognised.
 */
export function clearFinished(journal: Journal, server: string): number {
  return journal.transaction(() => {
    const finished = `SELECT id FROM runs WHERE server = ? AND cleared = 0 AND NOT EXISTS (
        SELECT 1 FROM item_counts c WHERE c.run_id = runs.id AND c.n > 0 AND c.state NOT IN ${SETTLED})`;
    const items = journal
      .stmt(`SELECT COALESCE(SUM(n), 0) AS n FROM item_counts WHERE run_id IN (${finished})`)
      .get(server) as { n: number };
    journal.stmt(`UPDATE runs SET cleared = 1 WHERE id IN (${finished})`).run(server);
    return Number(items.n);
  });
}

/** What was sent to each workflow on a server: items done by kind, and when files were last added to it. */
export function workflowUse(journal: Journal, server: string): WorkflowUse[] {
  const rows = journal
    .stmt(
      `SELECT i.workflow_id AS workflow, CASE WHEN i.kind = 'record' THEN 'record' ELSE i.media_kind END AS taken,
         SUM(CASE WHEN i.state = 'done' THEN 1 ELSE 0 END) AS done, MAX(r.started_at) AS added
       FROM items i JOIN runs r ON r.id = i.run_id
       WHERE r.server = ? GROUP BY i.workflow_id, taken`,
    )
    .all(server) as { workflow: string; taken: string | null; done: number; added: number | null }[];
  const byWorkflow = new Map<string, WorkflowUse>();
  for (const row of rows) {
    let use = byWorkflow.get(row.workflow);
    if (!use) {
      use = {
        workflowId: row.workflow,
        taken: { image: 0, video: 0, text: 0, record: 0 },
        lastAddedAt: null,
      };
      byWorkflow.set(row.workflow, use);
    }
    const kind = row.taken;
    if (kind === 'image' || kind === 'video' || kind === 'text' || kind === 'record')
      use.taken[kind] += Number(row.done);
    const added = row.added === null ? null : new Date(Number(row.added)).toISOString();
    if (added && (!use.lastAddedAt || added > use.lastAddedAt)) use.lastAddedAt = added;
  }
  return [...byWorkflow.values()];
}

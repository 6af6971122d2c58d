/**
 * Read-side queries of the journal for the queue view: paged, filtered and searched in SQL, so the app never
 * holds more than one page of items however long the queue is.
 */
import type { SQLInputValue } from 'node:sqlite';
import { STATE_GROUPS } from '../../../common/api.ts';
import type { ItemState, QueueSort, StateGroup } from '../../../common/api.ts';
import { toItem } from './rows.ts';
import type { Journal } from './journal.ts';
import { isTerminal, sqlStates, TERMINAL_STATES } from './item-types.ts';
import type { ItemRow, StoredState } from './item-types.ts';
import { scopeClause } from './run-scope.ts';
import { getTarget, walkSkipped } from './targets.ts';
import type { RunScope } from './run-scope.ts';

/** Filters of a queue listing (the contract's QueueQuery, with defaults applied) plus an optional run scope. */
interface ItemFilter {
  groups?: readonly StateGroup[];
  search?: string;
  batchId?: string;
  runId?: number;
  /**
   * Set while the queue is stopped by a condition (blocked, offline, paused): items in an active state whose step is
   * not running (all but `inFlight`) only wait, so they filter as `waiting`, not `active`.
   */
  stalled?: { inFlight: readonly number[] };
  /** The runs shown (one server's, not cleared); absent: every run. */
  scope?: RunScope;
  /** The whole queue is paused: every item with work left shows, filters and counts as paused. */
  pausedAll?: boolean;
  /** The column sorted by (default: the order items were added), ties in that order. */
  sort?: QueueSort;
  descending?: boolean;
}

const UNSETTLED = `state NOT IN ${sqlStates(TERMINAL_STATES)}`;

/** The state an item shows: `paused` when its flag is set and it has work left, else its stored state. */
export function visibleState(item: Pick<ItemRow, 'state' | 'paused'>): ItemState {
  if (item.paused && !isTerminal(item.state)) return 'paused';
  return item.state;
}

/**
 * The state an item shows while the queue is stopped by a condition: an active state whose step is not running is
 * only where the item will resume, so it shows as `queued` (no phantom activity).
 */
export function stalledState(state: ItemState, inFlight: boolean): ItemState {
  return !inFlight && (STATE_GROUPS.active as readonly string[]).includes(state) ? 'queued' : state;
}

function statesSql(group: StateGroup): string {
  return (STATE_GROUPS[group] as readonly string[]).map((s) => `'${s}'`).join(', ');
}

/** States in the order "sort by state" lists them: what needs a look first, what is finished last. */
const STATE_ORDER: readonly StateGroup[] = [
  'failed',
  'active',
  'waiting',
  'paused',
  'done',
  'canceled',
  'skipped',
];

/** The ORDER BY of each sort (the id breaks ties, so pages never overlap). */
const SORT_SQL: Record<QueueSort, string> = {
  added: 'id',
  name: 'name COLLATE NOCASE',
  size: 'size',
  state: `CASE WHEN paused = 1 AND ${UNSETTLED} THEN 3 ${STATE_ORDER.map(
    (group, rank) => `WHEN state IN (${statesSql(group)}) THEN ${rank}`,
  ).join(' ')} ELSE 9 END`,
};

function groupClause(group: StateGroup, stalled: ItemFilter['stalled'], pausedAll: boolean): string {
  if (pausedAll && group === 'paused') return `(${UNSETTLED})`;
  if (pausedAll && (group === 'waiting' || group === 'active')) return '(0)';
  if (group === 'paused') return `(paused = 1 AND ${UNSETTLED})`;
  const states = statesSql(group);
  if (stalled && (group === 'waiting' || group === 'active')) {
    // Ids are the runner's own integers (a few dozen at most), so they are inlined rather than bound.
    const ids = stalled.inFlight.map((id) => String(Math.trunc(id))).join(', ');
    const running = `(state IN (${statesSql('active')}) AND id IN (${ids}))`;
    if (group === 'active') return `(paused = 0 AND ${running})`;
    return `(paused = 0 AND (state IN (${states}) OR (state IN (${statesSql('active')}) AND NOT ${running})))`;
  }
  if (group === 'waiting' || group === 'active') return `(paused = 0 AND state IN (${states}))`;
  return `(state IN (${states}))`;
}

function whereOf(filter: ItemFilter): { sql: string; params: SQLInputValue[] } {
  const clauses: string[] = [];
  const params: SQLInputValue[] = [];
  if (filter.groups && filter.groups.length > 0)
    clauses.push(
      `(${filter.groups.map((group) => groupClause(group, filter.stalled, !!filter.pausedAll)).join(' OR ')})`,
    );
  if (filter.search && filter.search.trim() !== '') {
    const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    clauses.push("(name LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\')");
    params.push(pattern, pattern);
  }
  if (filter.batchId) {
    clauses.push('target_id IN (SELECT id FROM targets WHERE batch_id = ?)');
    params.push(filter.batchId);
  }
  if (filter.runId !== undefined) {
    clauses.push('run_id = ?');
    params.push(filter.runId);
  }
  if (filter.scope) {
    const scope = scopeClause(filter.scope);
    clauses.push(scope.sql);
    params.push(...scope.params);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function orderOf(filter: ItemFilter): string {
  const direction = filter.descending ? 'DESC' : 'ASC';
  const column = SORT_SQL[filter.sort ?? 'added'];
  return column === 'id' ? `id ${direction}` : `${column} ${direction}, id ${direction}`;
}

/** One page of items matching `filter`, in its sort order (oldest first by default), with the total count. */
export function listItems(
  journal: Journal,
  filter: ItemFilter,
  offset: number,
  limit: number,
): { items: ItemRow[]; total: number } {
  const where = whereOf(filter);
  const total = journal.stmt(`SELECT COUNT(*) AS n FROM items ${where.sql}`).get(...where.params) as {
    n: number;
  };
  const rows = journal
    .stmt(`SELECT * FROM items ${where.sql} ORDER BY ${orderOf(filter)} LIMIT ? OFFSET ?`)
    .all(...where.params, limit, offset) as Record<string, SQLInputValue>[];
  return { items: rows.map(toItem), total: Number(total.n) };
}

/** Counts by group and bytes, for the totals line. */
export interface JournalCounts {
  files: Record<StateGroup, number> & { total: number };
  bytesTotal: number;
  /** Bytes of files whose PUT finished. */
  bytesDone: number;
}

const BYTES_DONE_STATES: readonly StoredState[] = ['uploaded', 'closed', 'recording', 'recorded', 'done'];

/** Counts items by group, from the trigger-kept count table (a few rows, whatever the queue's length). */
export function countItems(journal: Journal, runs?: number | RunScope): JournalCounts {
  const where =
    runs === undefined
      ? { sql: '', params: [] }
      : typeof runs === 'number'
        ? { sql: 'WHERE run_id = ?', params: [runs] }
        : (({ sql, params }) => ({ sql: `WHERE ${sql}`, params }))(scopeClause(runs));
  const rows = journal
    .stmt(
      `SELECT state, paused, kind, SUM(n) AS n, SUM(bytes) AS bytes FROM item_counts ${where.sql} GROUP BY state, paused, kind`,
    )
    .all(...where.params) as {
    state: StoredState;
    paused: number;
    kind: string;
    n: number;
    bytes: number | null;
  }[];
  const files = { waiting: 0, active: 0, done: 0, failed: 0, paused: 0, canceled: 0, skipped: 0, total: 0 };
  let bytesTotal = 0;
  let bytesDone = 0;
  for (const row of rows) {
    const n = Number(row.n);
    if (n === 0) continue;
    const state = visibleState({ state: row.state, paused: Number(row.paused) === 1 });
    const group = (Object.keys(STATE_GROUPS) as StateGroup[]).find((g) =>
      (STATE_GROUPS[g] as readonly string[]).includes(state),
    );
    if (group) files[group] += n;
    files.total += n;
    if (row.kind === 'file' && row.state !== 'skipped' && row.state !== 'canceled') {
      bytesTotal += Number(row.bytes ?? 0);
      if (BYTES_DONE_STATES.includes(row.state)) bytesDone += Number(row.bytes ?? 0);
    }
  }
  return { files, bytesTotal, bytesDone };
}

/** Failed items of a run with their reasons (at most `limit`), for the CLI's summary. */
function failedItems(journal: Journal, runId: number, limit: number): ItemRow[] {
  const rows = journal
    .stmt("SELECT * FROM items WHERE run_id = ? AND state = 'failed' ORDER BY id LIMIT ?")
    .all(runId, limit) as Record<string, SQLInputValue>[];
  return rows.map(toItem);
}

/** One entry of an item's history, numbered by attempt. */
export interface HistoryEntry {
  at: number;
  step: string;
  message: string;
  /** The n-th recorded failure of the item, counted from 1 across retries (each one ended a try). */
  attempt: number;
}

/** An item's history of attempts and errors: the latest `limit` entries, oldest first, and how many there are. */
export function itemHistory(
  journal: Journal,
  itemId: number,
  limit: number,
): { entries: HistoryEntry[]; total: number } {
  // Numbered over the whole history before the cut, so the entries shown keep their true attempt numbers.
  const rows = journal
    .stmt(
      `SELECT at, step, message, attempt, total FROM (
         SELECT id, at, step, message, ROW_NUMBER() OVER (ORDER BY id) AS attempt, COUNT(*) OVER () AS total
         FROM item_events WHERE item_id = ?
       ) ORDER BY id DESC LIMIT ?`,
    )
    .all(itemId, limit) as Record<string, SQLInputValue>[];
  const entries = rows.reverse().map((row) => ({
    at: Number(row.at),
    step: String(row.step),
    message: String(row.message),
    attempt: Number(row.attempt),
  }));
  return { entries, total: rows.length === 0 ? 0 : Number(rows[0]?.total) };
}

/** A file (or records-file row) this app uploaded, as the journal remembers it, for naming a platform record. */
export interface UploadedSource {
  kind: 'file' | 'record';
  recordId: string | null;
  assetId: string | null;
  name: string;
  path: string;
}

/**
 * The journal's items of a batch that became any of the given records, or uploaded any of the given assets (a
 * record id is not always learnt: the asset id names it then). Ids travel as one JSON array each, so the statement
 * is the same whatever the page size.
 */
export function uploadedSources(
  journal: Journal,
  batchId: string,
  recordIds: readonly string[],
  assetIds: readonly string[],
): UploadedSource[] {
  if (recordIds.length === 0 && assetIds.length === 0) return [];
  const rows = journal
    .stmt(
      `SELECT kind, record_id, asset_id, name, path FROM items
       WHERE target_id IN (SELECT id FROM targets WHERE batch_id = ?)
         AND (record_id IN (SELECT value FROM json_each(?)) OR asset_id IN (SELECT value FROM json_each(?)))
       ORDER BY id`,
    )
    .all(batchId, JSON.stringify(recordIds), JSON.stringify(assetIds)) as Record<string, SQLInputValue>[];
  return rows.map((row) => ({
    kind: row.kind === 'record' ? 'record' : 'file',
    recordId: (row.record_id as string | null) ?? null,
    assetId: (row.asset_id as string | null) ?? null,
    name: String(row.name),
    path: String(row.path),
  }));
}

/**
 * The source paths among `paths` that the target already holds as live items (queued, sending or sent; not failed,
 * canceled or skipped): a rerun that queues them again with `reupload` would make a second record of each.
 */
export function pathsInTarget(journal: Journal, targetId: number, paths: readonly string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const rows = journal
    .stmt(
      `SELECT DISTINCT source_key FROM items
       WHERE target_id = ? AND kind = 'file' AND state NOT IN ('failed', 'canceled', 'skipped')
         AND source_key IN (SELECT value FROM json_each(?))`,
    )
    .all(targetId, JSON.stringify(paths)) as Record<string, SQLInputValue>[];
  return new Set(rows.map((row) => String(row.source_key)));
}

/** What a run left for its summary: the files the walk left out, the first failed and skipped items, its batch. */
export interface RunOutcome {
  walkSkipped: number;
  failures: ItemRow[];
  skips: ItemRow[];
  batchId: string | null;
}

/** A run's outcome, with at most `limit` failed and skipped items each. */
export function runOutcome(journal: Journal, runId: number, limit: number): RunOutcome {
  const anyItem = listItems(journal, { runId }, 0, 1).items[0];
  return {
    walkSkipped: walkSkipped(journal, runId),
    failures: failedItems(journal, runId, limit),
    skips: listItems(journal, { runId, groups: ['skipped'] }, 0, limit).items,
    batchId: anyItem ? (getTarget(journal, anyItem.targetId)?.batchId ?? null) : null,
  };
}

/** The latest upload of a source path to a workflow on a server, leaving out the "skipped" rows that only repeat it. */
export function latestUpload(
  journal: Journal,
  workflowId: string,
  path: string,
  server: string,
): { state: StoredState; size: number; mtimeMs: number } | null {
  const row = journal
    .stmt(
      `SELECT i.state, i.size, i.mtime_ms FROM items i JOIN targets t ON t.id = i.target_id
       WHERE i.workflow_id = ? AND i.source_key = ? AND t.server = ? AND i.state <> 'skipped'
       ORDER BY i.id DESC LIMIT 1`,
    )
    .get(workflowId, path, server) as Record<string, SQLInputValue> | undefined;
  return row
    ? { state: row.state as StoredState, size: Number(row.size), mtimeMs: Number(row.mtime_ms) }
    : null;
}

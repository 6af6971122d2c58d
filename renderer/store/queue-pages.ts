/**
 * Pure helpers for the queue's page cache and for applying progress snapshots. The list holds up to 100,000
 * items on the engine's side; the renderer keeps only the pages around the visible window, and progress only for
 * the visible rows, keeping unchanged entries identical so that rows whose numbers did not move never re-render.
 */
import type { ProgressSnapshot, QueueItemView } from '../../common/api.ts';

export const PAGE_SIZE = 100;
/** Pages kept beyond the visible window (each side) before they are dropped. */
const KEEP_AROUND = 3;

export type ActiveProgress = ProgressSnapshot['active'][number];

/** The pages covering rows `start`..`end` (inclusive). */
export function pagesFor(start: number, end: number, pageSize = PAGE_SIZE): number[] {
  if (end < start) return [];
  const first = Math.floor(Math.max(0, start) / pageSize);
  const last = Math.floor(Math.max(0, end) / pageSize);
  const pages: number[] = [];
  for (let p = first; p <= last; p += 1) pages.push(p);
  return pages;
}

/** Drops pages far from the visible window, so scrolling through 100,000 rows keeps memory flat. */
export function prunePages<T>(
  pages: Record<number, T>,
  visible: number[],
  keepAround = KEEP_AROUND,
): Record<number, T> {
  if (visible.length === 0) return pages;
  const lo = Math.min(...visible) - keepAround;
  const hi = Math.max(...visible) + keepAround;
  const kept: Record<number, T> = {};
  let dropped = false;
  for (const [key, value] of Object.entries(pages)) {
    const p = Number(key);
    if (p >= lo && p <= hi) kept[p] = value;
    else dropped = true;
  }
  return dropped ? kept : pages;
}

/** The item at row `index` of the list, when its page is loaded. */
export function itemAt(
  pages: Record<number, QueueItemView[]>,
  index: number,
  pageSize = PAGE_SIZE,
): QueueItemView | undefined {
  return pages[Math.floor(index / pageSize)]?.[index % pageSize];
}

/** The ids of the rows loaded for the visible range. */
export function visibleIds(
  pages: Record<number, QueueItemView[]>,
  start: number,
  end: number,
  pageSize = PAGE_SIZE,
): Set<number> {
  const ids = new Set<number>();
  for (let i = Math.max(0, start); i <= end; i += 1) {
    const row = itemAt(pages, i, pageSize);
    if (row) ids.add(row.id);
  }
  return ids;
}

/** Two views of the same item with equal fields. */
function sameItem(a: QueueItemView, b: QueueItemView): boolean {
  for (const key of Object.keys(a) as (keyof QueueItemView)[]) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * A freshly fetched page, keeping the previous object of every row whose fields did not change (and the previous
 * page itself when no row changed), so a refetch re-renders only the rows that moved on.
 */
export function reusePage(previous: QueueItemView[] | undefined, fresh: QueueItemView[]): QueueItemView[] {
  if (!previous) return fresh;
  const byId = new Map(previous.map((item) => [item.id, item]));
  let changed = previous.length !== fresh.length;
  const page = fresh.map((item, i) => {
    const old = byId.get(item.id);
    if (old && sameItem(old, item)) {
      if (previous[i] !== old) changed = true;
      return old;
    }
    changed = true;
    return item;
  });
  return changed ? page : previous;
}

function sameProgress(a: ActiveProgress, b: ActiveProgress): boolean {
  return a.state === b.state && a.bytesSent === b.bytesSent && a.size === b.size && a.speed === b.speed;
}

/**
 * The progress map after a snapshot, for the visible ids only. Entries whose numbers did not change keep their
 * identity, and when nothing changed the previous map itself is returned (no store update, no render).
 */
export function mergeProgress(
  previous: Record<number, ActiveProgress>,
  active: ActiveProgress[],
  visible: Set<number>,
): Record<number, ActiveProgress> {
  const next: Record<number, ActiveProgress> = {};
  let changed = false;
  let count = 0;
  for (const entry of active) {
    if (!visible.has(entry.id)) continue;
    const old = previous[entry.id];
    if (old && sameProgress(old, entry)) next[entry.id] = old;
    else {
      next[entry.id] = entry;
      changed = true;
    }
    count += 1;
  }
  if (!changed && count === Object.keys(previous).length) return previous;
  return next;
}

/**
 * The queue as the views see it: pages of items, one item, and the totals. While a condition stops the queue
 * (blocked, offline, paused), items whose step was interrupted show and count as waiting: only steps really under
 * way are active. While the whole queue is paused, every item with work left shows and counts as paused.
 */
import type {
  ItemState,
  QueueCounts,
  QueueItemView,
  QueueMode,
  QueuePage,
  QueueQuery,
  QueueTotals,
} from '../../../common/api.ts';
import { HELD_REASON } from '../../../common/api.ts';
import type { EtaEstimator } from './eta.ts';
import { countItems, listItems, stalledState, visibleState } from '../journal/queries.ts';
import type { JournalCounts } from '../journal/queries.ts';
import type { Journal } from '../journal/journal.ts';
import type { ProgressTracker } from './progress.ts';
import type { RunScope } from '../journal/run-scope.ts';
import type { ItemRow } from '../journal/item-types.ts';
import { getTarget } from '../journal/targets.ts';

/** What the views read: the journal, live progress, and the queue's mode. */
export interface ViewContext {
  journal: Journal;
  progress: ProgressTracker;
  mode: QueueMode;
  message: string | null;
  /** Set while a condition stops the queue: the items whose step still runs. */
  stalled: { inFlight: readonly number[] } | undefined;
  /** The runs listed (the connected server's, not cleared); absent: every run. */
  scope?: RunScope;
  /** The runs of the current work, which the totals bar counts; absent: the same as `scope`. */
  work?: RunScope | number;
  /** When a failed try of an item is due again (epoch ms), and the tries an item gets. */
  retryDue: (id: number) => number | undefined;
  maxAttempts: number;
  eta: EtaEstimator;
  now: () => number;
}

const BYTES_SENT_STATES: readonly ItemState[] = ['uploaded', 'closed', 'recording', 'recorded', 'done'];
const SETTLED_STATES: readonly ItemState[] = ['done', 'failed', 'canceled', 'skipped'];

/** One page of the queue, filtered and searched in SQL. */
export function queuePage(ctx: ViewContext, query: QueueQuery): QueuePage {
  const offset = query.offset ?? 0;
  const limit = Math.min(500, query.limit ?? 100);
  const page = listItems(
    ctx.journal,
    {
      groups: query.groups,
      search: query.search,
      batchId: query.batchId,
      ...(query.transferId !== undefined ? { runId: query.transferId } : {}),
      ...(query.sort ? { sort: query.sort, descending: query.descending ?? false } : {}),
      ...(ctx.stalled ? { stalled: ctx.stalled } : {}),
      ...(ctx.scope ? { scope: ctx.scope } : {}),
      pausedAll: ctx.mode === 'paused',
    },
    offset,
    limit,
  );
  return { items: page.items.map((item) => itemView(ctx, item)), total: page.total, offset };
}

function shownState(ctx: ViewContext, item: ItemRow): ItemState {
  const state = visibleState(item);
  if (ctx.mode === 'paused' && !SETTLED_STATES.includes(state)) return 'paused';
  return ctx.stalled ? stalledState(state, ctx.stalled.inFlight.includes(item.id)) : state;
}

function retryOf(ctx: ViewContext, item: ItemRow, state: ItemState): QueueItemView['retry'] {
  const due = ctx.retryDue(item.id);
  if (due === undefined || SETTLED_STATES.includes(state) || state === 'paused') return null;
  const last = ctx.journal
    .stmt('SELECT message FROM item_events WHERE item_id = ? ORDER BY id DESC LIMIT 1')
    .get(item.id) as { message: string } | undefined;
  return {
    attempt: item.attempts + 1,
    of: ctx.maxAttempts,
    at: new Date(Math.max(due, ctx.now())).toISOString(),
    reason: last?.message ?? '',
  };
}

/** A queue item as the views see it. */
export function itemView(ctx: ViewContext, item: ItemRow): QueueItemView {
  const live = ctx.progress.of(item.id);
  const done = BYTES_SENT_STATES.includes(item.state);
  const state = shownState(ctx, item);
  return {
    id: item.id,
    path: item.path,
    name: item.name,
    kind: item.kind === 'record' ? 'record' : item.mediaKind,
    size: item.size,
    state,
    bytesSent: live?.bytesSent ?? (done ? item.size : 0),
    speed: live?.speed ?? 0,
    // A file held by its upload's record limit says so (a file paused by hand has nothing to say).
    error:
      item.state === 'failed' ||
      item.state === 'skipped' ||
      (state === 'paused' && item.reason === HELD_REASON)
        ? item.reason
        : null,
    workflowId: item.workflowId,
    batchId: getTarget(ctx.journal, item.targetId)?.batchId ?? null,
    assetId: item.assetId,
    recordId: item.recordId,
    updatedAt: new Date(item.updatedAt).toISOString(),
    retry: retryOf(ctx, item, state),
  };
}

/** Counts as the views show them: stalled steps wait, a paused queue's files with work left are paused. */
export function shownCounts(ctx: ViewContext, counts: JournalCounts, inFlightBytes: number): QueueCounts {
  const files = { ...counts.files };
  if (ctx.stalled) {
    // Stopped by a condition: only steps still running are active; the rest wait where they will resume.
    const running = Math.min(files.active, ctx.stalled.inFlight.length);
    files.waiting += files.active - running;
    files.active = running;
  }
  if (ctx.mode === 'paused') {
    files.paused += files.waiting + files.active;
    files.waiting = 0;
    files.active = 0;
  }
  const done = Math.min(counts.bytesTotal, counts.bytesDone + inFlightBytes);
  return { files, bytes: { total: counts.bytesTotal, done } };
}

/** Totals by group, bytes, throughput, ETA and mode: of the listed runs, and of the current work. */
export function queueTotals(ctx: ViewContext): QueueTotals {
  // The count table is a few rows whatever the queue's length, so every call reads it fresh: the bytes done by
  // the journal and the bytes in flight always agree (no dip when a PUT ends).
  const inFlight = ctx.progress.inFlightBytes;
  const listed = shownCounts(ctx, countItems(ctx.journal, ctx.scope ?? ctx.work), inFlight);
  const work =
    ctx.work === undefined ? listed : shownCounts(ctx, countItems(ctx.journal, ctx.work), inFlight);
  const moving = ctx.mode === 'running' && work.files.active + work.files.waiting > 0;
  return {
    ...listed,
    work,
    throughput: ctx.progress.throughput,
    etaSeconds: ctx.eta.observe(ctx.now(), work.bytes.done, work.bytes.total, moving),
    mode: ctx.mode,
    message: ctx.message,
  };
}

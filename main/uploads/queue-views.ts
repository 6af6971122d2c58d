/**
 * The queue as the views see it: pages of items, one item, and the totals. While a condition stops the queue
 * (blocked, offline, paused), items whose step was interrupted show and count as waiting: only steps really under
 * way are active.
 */
import type {
  ItemState,
  QueueItemView,
  QueueMode,
  QueuePage,
  QueueQuery,
  QueueTotals,
} from '../../common/api.ts';
import { countItems, listItems, stalledState, visibleState } from './journal-queries.ts';
import type { Journal } from './journal.ts';
import { etaSeconds } from './progress.ts';
import type { ProgressTracker } from './progress.ts';
import type { ItemRow } from './item-types.ts';

/** What the views read: the journal, live progress, and the queue's mode. */
export interface ViewContext {
  journal: Journal;
  progress: ProgressTracker;
  mode: QueueMode;
  message: string | null;
  /** Set while a condition stops the queue: the items whose step still runs. */
  stalled: { inFlight: readonly number[] } | undefined;
}

const BYTES_SENT_STATES: readonly ItemState[] = ['uploaded', 'closed', 'recording', 'recorded', 'done'];

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
      ...(ctx.stalled ? { stalled: ctx.stalled } : {}),
    },
    offset,
    limit,
  );
  return { items: page.items.map((item) => itemView(ctx, item)), total: page.total, offset };
}

/** A queue item as the views see it. */
export function itemView(ctx: ViewContext, item: ItemRow): QueueItemView {
  const live = ctx.progress.of(item.id);
  const done = BYTES_SENT_STATES.includes(item.state);
  const state = visibleState(item);
  return {
    id: item.id,
    path: item.path,
    name: item.name,
    kind: item.kind === 'record' ? 'record' : item.mediaKind,
    size: item.size,
    state: ctx.stalled ? stalledState(state, ctx.stalled.inFlight.includes(item.id)) : state,
    bytesSent: live?.bytesSent ?? (done ? item.size : 0),
    speed: live?.speed ?? 0,
    error: item.state === 'failed' || item.state === 'skipped' ? item.reason : null,
    workflowId: item.workflowId,
    batchId: ctx.journal.getTarget(item.targetId)?.batchId ?? null,
    assetId: item.assetId,
    recordId: item.recordId,
    updatedAt: new Date(item.updatedAt).toISOString(),
  };
}

/** Totals by group, bytes, throughput, ETA and mode, of one run or the whole queue. */
export function queueTotals(ctx: ViewContext, runId: number | undefined): QueueTotals {
  // The count table is a few rows whatever the queue's length, so every call reads it fresh: the bytes done by
  // the journal and the bytes in flight always agree (no dip when a PUT ends).
  const counts = countItems(ctx.journal, runId);
  if (ctx.stalled) {
    // Stopped by a condition: only steps still running are active; the rest wait where they will resume.
    const running = Math.min(counts.files.active, ctx.stalled.inFlight.length);
    counts.files.waiting += counts.files.active - running;
    counts.files.active = running;
  }
  const done = Math.min(counts.bytesTotal, counts.bytesDone + ctx.progress.inFlightBytes);
  return {
    files: { ...counts.files },
    bytes: { total: counts.bytesTotal, done },
    throughput: ctx.progress.throughput,
    etaSeconds: etaSeconds(counts.bytesTotal - done, ctx.progress.throughput),
    mode: ctx.mode,
    message: ctx.message,
  };
}

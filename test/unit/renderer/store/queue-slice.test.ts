import { describe, expect, it } from 'vitest';
import type {
  ItemState,
  ProgressSnapshot,
  QueueItemView,
  QueueQuery,
  QueueTotals,
} from '../../../../common/api.ts';
import { mergeProgress, pagesFor, prunePages, reusePage } from '../../../../renderer/store/queue-pages.ts';
import { settle, testStore } from './fake-bridge.ts';

const TOTAL = 100_000;

function item(id: number, state: ItemState = 'queued'): QueueItemView {
  return {
    id,
    path: `/data/f${id}.jpg`,
    name: `f${id}.jpg`,
    kind: 'image',
    size: 1000,
    state,
    bytesSent: 0,
    speed: 0,
    error: null,
    workflowId: 'w',
    batchId: null,
    assetId: null,
    recordId: null,
    updatedAt: '2024-01-01T00:00:00Z',
  };
}

function totals(done: number): QueueTotals {
  return {
    files: { total: TOTAL, waiting: 0, active: 8, done, failed: 0, paused: 0, canceled: 0, skipped: 0 },
    bytes: { total: TOTAL * 1000, done: done * 1000 },
    throughput: 1,
    etaSeconds: 10,
    mode: 'running',
    message: null,
  };
}

/** Item ids are offset + 1: row i holds item i + 1. */
function queueStore() {
  const queries: QueueQuery[] = [];
  const t = testStore({
    listQueue: (q) => {
      queries.push(q);
      const offset = q.offset ?? 0;
      const limit = q.limit ?? 100;
      const items = Array.from({ length: Math.min(limit, TOTAL - offset) }, (_, i) => item(offset + i + 1));
      return Promise.resolve({ items, total: TOTAL, offset });
    },
    getQueueTotals: () => Promise.resolve(totals(0)),
  });
  return { ...t, queries };
}

function snapshot(done: number, active: [number, number][]): ProgressSnapshot {
  return {
    totals: totals(done),
    active: active.map(([id, bytesSent]) => ({ id, state: 'uploading', bytesSent, size: 1000, speed: 5 })),
    at: done,
  };
}

describe('queue pages', () => {
  it('covers a range with the pages it needs and drops far ones', () => {
    expect(pagesFor(0, 30)).toEqual([0]);
    expect(pagesFor(95, 205)).toEqual([0, 1, 2]);
    const pages = { 0: 'a', 1: 'b', 50: 'c', 54: 'd' };
    expect(prunePages(pages, [50])).toEqual({ 50: 'c' });
    expect(prunePages(pages, [50], 4)).toEqual({ 50: 'c', 54: 'd' });
    const kept = { 1: 'x' };
    expect(prunePages(kept, [1])).toBe(kept);
  });

  it('keeps unchanged progress entries identical and returns the same map when nothing moved', () => {
    const visible = new Set([1, 2, 3]);
    const a = mergeProgress(
      {},
      snapshot(0, [
        [1, 10],
        [2, 20],
        [99, 5],
      ]).active,
      visible,
    );
    expect(Object.keys(a)).toEqual(['1', '2']);
    const b = mergeProgress(
      a,
      snapshot(0, [
        [1, 10],
        [2, 30],
      ]).active,
      visible,
    );
    expect(b[1]).toBe(a[1]);
    expect(b[2]).not.toBe(a[2]);
    const c = mergeProgress(
      b,
      snapshot(0, [
        [1, 10],
        [2, 30],
      ]).active,
      visible,
    );
    expect(c).toBe(b);
    const d = mergeProgress(c, snapshot(0, [[1, 10]]).active, visible);
    expect(d).not.toBe(c);
    expect(Object.keys(d)).toEqual(['1']);
  });
});

describe('refetched pages', () => {
  it('keep the objects of unchanged rows, and the page itself when nothing changed', () => {
    const before = [item(1), item(2), item(3)];
    expect(reusePage(before, [item(1), item(2), item(3)])).toBe(before);
    const after = reusePage(before, [item(1), item(2, 'uploading'), item(3)]);
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]?.state).toBe('uploading');
    expect(after[2]).toBe(before[2]);
    // A row that moved to another position (an earlier one finished elsewhere) is a changed page.
    const shifted = reusePage(before, [item(2), item(3), item(4)]);
    expect(shifted[0]).toBe(before[1]);
    expect(shifted).not.toBe(before);
    expect(reusePage(undefined, before)).toBe(before);
  });
});

describe('queue slice', () => {
  it('a refetch that changes nothing leaves the store untouched', async () => {
    const t = queueStore();
    t.store.getState().setQueueRange(0, 20);
    await settle();
    const pages = t.store.getState().queuePages;
    let updates = 0;
    const off = t.store.subscribe(() => (updates += 1));
    t.store.getState().refreshQueue();
    await settle();
    off();
    expect(t.store.getState().queuePages).toBe(pages);
    expect(updates).toBe(0);
  });

  it('fetches only the pages of the visible window of 100,000 items', async () => {
    const t = queueStore();
    t.store.getState().setQueueRange(0, 25);
    await settle();
    expect(t.queries.map((q) => q.offset)).toEqual([0]);
    expect(t.store.getState().queueTotal).toBe(TOTAL);
    t.store.getState().setQueueRange(50_010, 50_040);
    await settle();
    expect(t.queries.map((q) => q.offset)).toEqual([0, 50_000]);
    expect(Object.keys(t.store.getState().queuePages)).toEqual(['500']);
    t.store.getState().setQueueRange(50_020, 50_050);
    await settle();
    expect(t.queries).toHaveLength(2);
  });

  it('coalesces snapshots to one store update per frame, for the visible rows only', async () => {
    const t = queueStore();
    t.store.getState().setQueueRange(0, 20);
    await settle();
    let updates = 0;
    t.store.subscribe(() => (updates += 1));
    for (let i = 1; i <= 5; i += 1)
      t.emit(
        'queueProgress',
        snapshot(i, [
          [1, i * 100],
          [2, 50],
          [5_000, 10],
        ]),
      );
    expect(updates).toBe(0);
    t.flushFrames();
    expect(updates).toBe(1);
    const state = t.store.getState();
    expect(state.totals?.files.done).toBe(5);
    expect(state.progress[1]?.bytesSent).toBe(500);
    expect(state.progress[5_000]).toBeUndefined();
    const row2 = state.progress[2];
    t.emit(
      'queueProgress',
      snapshot(6, [
        [1, 600],
        [2, 50],
      ]),
    );
    t.flushFrames();
    expect(t.store.getState().progress[2]).toBe(row2);
    const before = t.store.getState().progress;
    t.emit(
      'queueProgress',
      snapshot(7, [
        [1, 600],
        [2, 50],
      ]),
    );
    t.flushFrames();
    expect(t.store.getState().progress).toBe(before);
  });

  it('refetches visible pages once for a burst of queue changes', async () => {
    const t = queueStore();
    t.store.getState().setQueueRange(0, 20);
    await settle();
    const fetched = t.queries.length;
    for (let i = 0; i < 10; i += 1) t.emit('queueChanged', { reason: 'state' });
    expect(t.pendingTimers()).toBe(1);
    t.flushTimers();
    await settle();
    expect(t.queries.length).toBe(fetched + 1);
    expect(t.calls.filter((c) => c.method === 'getQueueTotals')).toHaveLength(1);
  });

  it('drops answers for a filter that was replaced while they were in flight', async () => {
    const resolvers: ((v: { items: QueueItemView[]; total: number; offset: number }) => void)[] = [];
    const t = testStore({ listQueue: () => new Promise((r) => resolvers.push(r)) });
    t.store.getState().setQueueRange(0, 20);
    t.store.getState().setQueueGroups(['failed']);
    expect(resolvers).toHaveLength(2);
    resolvers[1]?.({ items: [item(7, 'failed')], total: 1, offset: 0 });
    await settle();
    resolvers[0]?.({ items: [item(1), item(2)], total: TOTAL, offset: 0 });
    await settle();
    const state = t.store.getState();
    expect(state.queueTotal).toBe(1);
    expect(state.queuePages[0]?.map((i) => i.id)).toEqual([7]);
    expect(t.calls.at(-1)?.args[0]).toMatchObject({ groups: ['failed'] });
  });

  it('shows the rejected message when a page fails, and a command failure as a notice', async () => {
    const t = testStore({
      listQueue: () => Promise.reject(new Error('The queue journal is locked.')),
      pauseItems: () => Promise.reject(new Error('Nothing to pause.')),
    });
    t.store.getState().setQueueRange(0, 10);
    await settle();
    expect(t.store.getState().queueStatus).toBe('error');
    expect(t.store.getState().queueError).toBe('The queue journal is locked.');
    await t.store.getState().queueCommand('pause', [3]);
    expect(t.calls.find((c) => c.method === 'pauseItems')?.args[0]).toEqual({ ids: [3] });
    expect(t.store.getState().notices.at(-1)).toMatchObject({ level: 'error', message: 'Nothing to pause.' });
  });
});

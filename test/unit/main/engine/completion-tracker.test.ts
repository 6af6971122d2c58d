import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BatchSummary } from '../../../../common/alegion.ts';
import type { Completion } from '../../../../common/api.ts';
import type { AlegionClient, Paginated } from '../../../../main/alegion/types.ts';
import { createCompletionTracker } from '../../../../main/engine/completion.ts';
import type { CompletionTracker } from '../../../../main/engine/completion.ts';
import { createEventHub } from '../../../../main/engine/events.ts';

function listingOf<T>(items: T[], total: () => number): Paginated<T> {
  return {
    count: async () => total(),
    async *[Symbol.asyncIterator]() {
      yield* items;
    },
  };
}

/** A client whose counts of batch "b" the test sets. */
function fakeClient() {
  const state = { records: 0, results: 0, exceptionOrCanceled: 0 };
  const summary = (): BatchSummary => ({
    id: 'b',
    name: 'Shelf',
    workflowId: 'w',
    isEnabled: true,
    createdAt: '2026-01-01T00:00:00Z',
    complete: state.results,
    inProgress: state.records - state.results - state.exceptionOrCanceled,
    queued: 0,
    archived: 0,
    archiving: 0,
    adminReview: 0,
    content: 0,
    exceptions: state.exceptionOrCanceled,
    canceled: 0,
  });
  const client = {
    listRecords: (_batchId: string, query?: { status?: string[] }) =>
      listingOf([], () => (query?.status ? state.exceptionOrCanceled : state.records)),
    listWorkflowResults: () => listingOf([], () => state.results),
    listBatches: () => listingOf([summary()], () => 1),
  } as unknown as AlegionClient;
  return { client, state };
}

/** A tracker over the fake client, with the files still on their way to the batch set by the test. */
function setUp() {
  const hub = createEventHub();
  const { client, state } = fakeClient();
  const queue = { pending: 0 };
  const done: Completion[] = [];
  const published: Completion[] = [];
  hub.on('batchCompletion', (view) => published.push(view));
  const tracker = createCompletionTracker(
    hub,
    (view) => done.push(view),
    () => Date.parse('2026-01-01T00:00:00Z'),
    undefined,
    async () => queue.pending,
  );
  tracker.setClient(client);
  return { hub, tracker, state, queue, done, published };
}

let current: CompletionTracker | null = null;
afterEach(() => {
  current?.close();
  current = null;
});

describe('completion tracker', () => {
  it('is not done while files are still on their way, and done once when the last record is final', async () => {
    const t = setUp();
    current = t.tracker;
    expect((await t.tracker.track('w', 'b')).done).toBe(false);

    // Five records made and all final, a sixth file still uploading.
    Object.assign(t.state, { records: 5, exceptionOrCanceled: 5 });
    t.queue.pending = 1;
    const between = await t.tracker.track('w', 'b');
    expect(between).toMatchObject({ records: 5, final: 5, done: false });
    expect(t.done).toHaveLength(0);

    // The sixth record is made and labeled; the queue says so before the next poll.
    Object.assign(t.state, { records: 6, results: 1 });
    t.queue.pending = 0;
    t.hub.emit('queueChanged', { reason: 'settled' });
    await vi.waitFor(() => expect(t.done).toHaveLength(1));
    expect(t.done[0]).toMatchObject({ records: 6, results: 1, done: true });
    expect(t.tracker.latest('b')?.done).toBe(true);
    expect(t.published.filter((view) => view.done).every((view) => view.records === 6)).toBe(true);
  });

  it('is done when the file still on its way fails instead (no record comes)', async () => {
    const t = setUp();
    current = t.tracker;
    await t.tracker.track('w', 'b');
    Object.assign(t.state, { records: 2, results: 1, exceptionOrCanceled: 1 });
    t.queue.pending = 1;
    expect((await t.tracker.track('w', 'b')).done).toBe(false);
    t.queue.pending = 0;
    t.hub.emit('queueChanged', { reason: 'settled' });
    await vi.waitFor(() => expect(t.done).toHaveLength(1));
    expect(t.done[0]).toMatchObject({ records: 2, final: 2, done: true });
  });

  it('raises nothing for a batch that was already done when first looked at', async () => {
    const t = setUp();
    current = t.tracker;
    Object.assign(t.state, { records: 4, results: 3, exceptionOrCanceled: 1 });
    expect((await t.tracker.track('w', 'b')).done).toBe(true);
    expect(t.done).toHaveLength(0);
  });

  it('counts the files still coming, and publishes again when the queue changes that count', async () => {
    const t = setUp();
    current = t.tracker;
    Object.assign(t.state, { records: 489, results: 300, exceptionOrCanceled: 23 });
    t.queue.pending = 1511;
    expect(await t.tracker.track('w', 'b')).toMatchObject({ records: 489, coming: 1511, done: false });

    // One more file recorded: the records did not change on the platform yet, but what is coming did.
    t.queue.pending = 1510;
    t.hub.emit('queueChanged', { reason: 'settled' });
    await vi.waitFor(() => expect(t.tracker.latest('b')?.coming).toBe(1510));
    const count = t.published.length;

    // A queue change that leaves the count as it was publishes nothing.
    t.hub.emit('queueChanged', { reason: 'progress' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.published).toHaveLength(count);
  });
});

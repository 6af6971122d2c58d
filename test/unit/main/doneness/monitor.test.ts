import { describe, expect, it } from 'vitest';
import { createDonenessMonitor } from '../../../../main/doneness/monitor.ts';
import type { DonenessEvent, Timers } from '../../../../main/doneness/monitor.ts';
import type { DonenessClient } from '../../../../main/doneness/probe.ts';
import type { BatchSummary } from '../../../../common/alegion.ts';
import type { Paginated } from '../../../../main/alegion/types.ts';

/** Timers the test fires by hand; remembers each requested delay. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    setTimeout(callback, ms) {
      next += 1;
      pending.set(next, { callback, ms });
      return next;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    /** Delays of the timers now pending. */
    delays: () => [...pending.values()].map((entry) => entry.ms),
    /** Fires every pending timer and lets the polls they start finish. */
    async fire() {
      const due = [...pending.values()];
      pending.clear();
      for (const entry of due) entry.callback();
      await settle();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function listingOf<T>(items: T[], total: () => number): Paginated<T> {
  return {
    count: async () => total(),
    async *[Symbol.asyncIterator]() {
      yield* items;
    },
  };
}

/** A client whose counts the test sets; `failing` makes every count throw. */
function fakeClient() {
  const state = { records: 10, results: 0, exceptionOrCanceled: 0, failing: false, calls: 0 };
  const summary = (): BatchSummary => ({
    id: 'b',
    name: 'batch',
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
    exceptions: 0,
    canceled: state.exceptionOrCanceled,
  });
  const count = (value: () => number) => () => {
    state.calls += 1;
    if (state.failing) throw new Error('cannot reach api.alegion.com');
    return value();
  };
  const client: DonenessClient = {
    listRecords: (_batchId, query) =>
      listingOf(
        [],
        count(() => (query?.status ? state.exceptionOrCanceled : state.records)),
      ),
    listWorkflowResults: () =>
      listingOf(
        [],
        count(() => state.results),
      ),
    listBatches: () => listingOf([summary()], () => 1),
  };
  return { client, state };
}

describe('createDonenessMonitor', () => {
  const polling = { minMs: 1_000, maxMs: 4_000, idleFactor: 2, maxErrorMs: 16_000 };

  it('emits a change only when the numbers change, and done once when they account for every record', async () => {
    const { client, state } = fakeClient();
    const clock = manualTimers();
    const monitor = createDonenessMonitor({ client, timers: clock.timers, polling });
    const events: DonenessEvent[] = [];
    monitor.subscribe((event) => events.push(event));
    monitor.track('w', 'b');
    await settle();
    expect(events.map((event) => event.type)).toEqual(['change']);

    await clock.fire();
    await clock.fire();
    expect(events).toHaveLength(1);

    state.results = 8;
    state.exceptionOrCanceled = 2;
    await clock.fire();
    expect(events.map((event) => event.type)).toEqual(['change', 'change', 'done']);
    expect(monitor.snapshot('b')).toMatchObject({
      done: true,
      results: 8,
      exceptionOrCanceled: 2,
      percentFinal: 100,
    });
    monitor.stop();
  });

  it('polls faster while work moves and slower while idle', async () => {
    const { client, state } = fakeClient();
    const clock = manualTimers();
    const monitor = createDonenessMonitor({ client, timers: clock.timers, polling });
    monitor.track('w', 'b');
    await settle();
    expect(clock.delays()).toEqual([1_000]);
    await clock.fire();
    expect(clock.delays()).toEqual([2_000]);
    await clock.fire();
    expect(clock.delays()).toEqual([4_000]);
    await clock.fire();
    expect(clock.delays()).toEqual([4_000]);
    state.results = 1;
    await clock.fire();
    expect(clock.delays()).toEqual([1_000]);
    monitor.stop();
    expect(clock.delays()).toEqual([]);
  });

  it('reports errors and backs off, then recovers', async () => {
    const { client, state } = fakeClient();
    const clock = manualTimers();
    const monitor = createDonenessMonitor({ client, timers: clock.timers, polling });
    const events: DonenessEvent[] = [];
    monitor.subscribe((event) => events.push(event));
    state.failing = true;
    monitor.track('w', 'b');
    await settle();
    await clock.fire();
    await clock.fire();
    const errors = events.filter((event) => event.type === 'error');
    expect(errors.map((event) => (event.type === 'error' ? event.retryInMs : 0))).toEqual([
      2_000, 4_000, 8_000,
    ]);
    expect(clock.delays()).toEqual([8_000]);
    state.failing = false;
    await clock.fire();
    expect(events.at(-1)?.type).toBe('change');
    expect(clock.delays()).toEqual([1_000]);
    monitor.stop();
  });

  it('refresh polls at once, and an untracked batch is no longer polled', async () => {
    const { client, state } = fakeClient();
    const clock = manualTimers();
    const monitor = createDonenessMonitor({ client, timers: clock.timers, polling });
    monitor.track('w', 'b', { expectedRecords: 12 });
    await settle();
    expect(monitor.snapshot('b')?.records).toBe(12);
    state.records = 15;
    await monitor.refresh('b');
    expect(monitor.snapshot('b')?.records).toBe(15);
    monitor.untrack('b');
    const calls = state.calls;
    await clock.fire();
    expect(clock.delays()).toEqual([]);
    expect(state.calls).toBe(calls);
    expect(monitor.snapshot('b')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { AutoSync } from '../../../../main/exports/auto-sync.ts';
import type { AutoSyncClock, AutoSyncEvent, NewResultsSignal } from '../../../../main/exports/auto-sync.ts';

const W = 'w';
const MIN = 60_000;

/** A clock whose time moves only when the test says so. */
class FakeClock implements AutoSyncClock {
  time = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  pending(): number {
    return this.#timers.size;
  }
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.#timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
      await flush();
    }
    this.time = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** An export function whose runs the test finishes by hand. */
function fakeExports() {
  const runs: {
    scope: NewResultsSignal;
    startedAt: number;
    finish: () => void;
    fail: () => void;
    signal: AbortSignal;
  }[] = [];
  return {
    runs,
    clock: new FakeClock(),
    runExport(this: void, scope: NewResultsSignal, signal: AbortSignal): Promise<unknown> {
      return new Promise((resolve, reject) => {
        runs.push({
          scope,
          startedAt: 0,
          finish: () => resolve('ok'),
          fail: () => reject(new Error('offline')),
          signal,
        });
      });
    },
  };
}

function setup(intervalMinutes = 5) {
  const fake = fakeExports();
  const events: AutoSyncEvent[] = [];
  const sync = new AutoSync({
    intervalMs: intervalMinutes * MIN,
    runExport: (scope, signal) => {
      const promise = fake.runExport(scope, signal);
      const run = fake.runs.at(-1);
      if (run) run.startedAt = fake.clock.now();
      return promise;
    },
    clock: fake.clock,
    onEvent: (event) => events.push(event),
  });
  return { sync, events, ...fake };
}

describe('AutoSync', () => {
  it('exports at once on the first new results, then at most once per interval', async () => {
    const { sync, runs, clock } = setup(5);
    sync.enable(W, 'b1');
    sync.notify({ workflowId: W, batchId: 'b1' });
    expect(runs).toHaveLength(1);
    runs[0]?.finish();
    await flush();

    // Three more signals within the window fold into one run at the window's end.
    await clock.advance(1 * MIN);
    sync.notify({ workflowId: W, batchId: 'b1' });
    await clock.advance(1 * MIN);
    sync.notify({ workflowId: W, batchId: 'b1' });
    sync.notify({ workflowId: W, batchId: 'b1' });
    expect(runs).toHaveLength(1);
    await clock.advance(3 * MIN - 1);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.startedAt).toBe(5 * MIN);
    runs[1]?.finish();
    await flush();

    // No new results: nothing runs, however long it stays quiet.
    await clock.advance(60 * MIN);
    expect(runs).toHaveLength(2);
  });

  it('ignores batches it is not switched on for, and forgets a batch switched off', async () => {
    const { sync, runs, clock } = setup(5);
    sync.notify({ workflowId: W, batchId: 'b1' });
    expect(runs).toHaveLength(0);
    sync.enable(W, 'b1');
    sync.enable(W, 'b2');
    sync.notify({ workflowId: W, batchId: 'b1' });
    runs[0]?.finish();
    await flush();
    sync.notify({ workflowId: W, batchId: 'b1' });
    expect(clock.pending()).toBe(1);
    sync.disable('b1');
    expect(clock.pending()).toBe(0);
    await clock.advance(10 * MIN);
    expect(runs.map((r) => r.scope.batchId)).toEqual(['b1']);
    expect(sync.list()).toEqual([{ workflowId: W, batchId: 'b2' }]);
  });

  it('keeps batches independent', async () => {
    const { sync, runs } = setup(5);
    sync.enable(W, 'b1');
    sync.enable(W, 'b2');
    sync.notify({ workflowId: W, batchId: 'b1' });
    sync.notify({ workflowId: W, batchId: 'b2' });
    expect(runs.map((r) => r.scope.batchId)).toEqual(['b1', 'b2']);
  });

  it('never runs two exports of one batch at once; results seen meanwhile get the next window', async () => {
    const { sync, runs, clock } = setup(5);
    sync.enable(W, 'b1');
    sync.notify({ workflowId: W, batchId: 'b1' });
    await clock.advance(7 * MIN);
    sync.notify({ workflowId: W, batchId: 'b1' });
    expect(runs).toHaveLength(1);
    runs[0]?.finish();
    await flush();
    // The window since the first start is over: the second run starts as soon as the first ends.
    expect(runs).toHaveLength(2);
    expect(runs[1]?.startedAt).toBe(7 * MIN);
  });

  it('retries a failed export in the next window', async () => {
    const { sync, runs, clock, events } = setup(5);
    sync.enable(W, 'b1');
    sync.notify({ workflowId: W, batchId: 'b1' });
    runs[0]?.fail();
    await flush();
    expect(events.some((e) => e.type === 'failed')).toBe(true);
    await clock.advance(5 * MIN);
    expect(runs).toHaveLength(2);
  });

  it('reads a result-count source: only a growing count means new results', async () => {
    const { sync, runs, clock } = setup(1);
    let listener:
      | ((event: {
          type: string;
          snapshot?: { workflowId: string; batchId: string; results: number };
        }) => void)
      | undefined;
    sync.attach({
      subscribe: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
    });
    sync.enable(W, 'b1');
    listener?.({ type: 'change', snapshot: { workflowId: W, batchId: 'b1', results: 0 } });
    expect(runs).toHaveLength(0);
    listener?.({ type: 'change', snapshot: { workflowId: W, batchId: 'b1', results: 3 } });
    expect(runs).toHaveLength(1);
    runs[0]?.finish();
    await flush();
    await clock.advance(2 * MIN);
    listener?.({ type: 'change', snapshot: { workflowId: W, batchId: 'b1', results: 3 } });
    listener?.({ type: 'error' });
    expect(runs).toHaveLength(1);
    listener?.({ type: 'done', snapshot: { workflowId: W, batchId: 'b1', results: 5 } });
    expect(runs).toHaveLength(2);
    sync.stop();
    expect(listener).toBeUndefined();
    expect(runs[1]?.signal.aborted).toBe(true);
  });
});

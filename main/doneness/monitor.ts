/**
 * The batch completion monitor: tracks batches, polls their counts adaptively (see `polling.ts`) and emits an
 * event only when a batch's numbers change, when it becomes done, or when a poll fails. The client and the timers
 * are passed in, so the monitor runs the same in the app, in the CLI and under test with fake timers.
 */
import { computeCompletion, sameCompletion } from './completion.ts';
import type { CompletionSnapshot } from './completion.ts';
import { DEFAULT_POLLING, nextInterval } from './polling.ts';
import type { PollingOptions, PollOutcome } from './polling.ts';
import { readCompletionCounts } from './probe.ts';
import type { DonenessClient } from './probe.ts';

/** Timer functions (the global ones by default). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type DonenessEvent =
  | { type: 'change'; snapshot: CompletionSnapshot }
  | { type: 'done'; snapshot: CompletionSnapshot }
  | { type: 'error'; workflowId: string; batchId: string; error: unknown; retryInMs: number };

interface DonenessMonitorOptions {
  client: DonenessClient;
  timers?: Timers;
  polling?: Partial<PollingOptions>;
}

export interface DonenessMonitor {
  /** Starts tracking a batch (polls at once). Tracking it again only updates `expectedRecords`. */
  track(workflowId: string, batchId: string, options?: { expectedRecords?: number }): void;
  /** Stops tracking a batch. */
  untrack(batchId: string): void;
  /** The latest snapshot of a tracked batch. */
  snapshot(batchId: string): CompletionSnapshot | undefined;
  /** Polls a tracked batch now (e.g. after records were added) and resolves when that poll is over. */
  refresh(batchId: string): Promise<void>;
  /** Subscribes to events; returns the unsubscribe function. */
  subscribe(listener: (event: DonenessEvent) => void): () => void;
  /** Stops every timer; the monitor can be dropped afterwards. */
  stop(): void;
}

interface Tracked {
  workflowId: string;
  batchId: string;
  expectedRecords: number | undefined;
  intervalMs: number;
  timer: unknown;
  inFlight: Promise<void> | undefined;
  last: CompletionSnapshot | undefined;
}

const GLOBAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A monitor alone never keeps the process alive (the CLI waits on its own promise).
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Creates a doneness monitor. */
export function createDonenessMonitor(options: DonenessMonitorOptions): DonenessMonitor {
  const timers = options.timers ?? GLOBAL_TIMERS;
  const polling: PollingOptions = { ...DEFAULT_POLLING, ...options.polling };
  const tracked = new Map<string, Tracked>();
  const listeners = new Set<(event: DonenessEvent) => void>();
  let stopped = false;

  const emit = (event: DonenessEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };

  const schedule = (entry: Tracked): void => {
    if (stopped || tracked.get(entry.batchId) !== entry) return;
    if (entry.timer !== undefined) timers.clearTimeout(entry.timer);
    entry.timer = timers.setTimeout(() => {
      entry.timer = undefined;
      void poll(entry);
    }, entry.intervalMs);
  };

  const poll = (entry: Tracked): Promise<void> => {
    if (entry.inFlight) return entry.inFlight;
    const run = async (): Promise<void> => {
      let outcome: PollOutcome;
      try {
        const counts = await readCompletionCounts(
          options.client,
          entry.workflowId,
          entry.batchId,
          entry.expectedRecords,
        );
        if (tracked.get(entry.batchId) !== entry) return;
        const snapshot = computeCompletion(counts);
        const previous = entry.last;
        outcome = sameCompletion(previous, snapshot) ? 'unchanged' : 'changed';
        entry.last = snapshot;
        if (outcome === 'changed') {
          emit({ type: 'change', snapshot });
          if (snapshot.done && !previous?.done) emit({ type: 'done', snapshot });
        }
      } catch (error) {
        if (tracked.get(entry.batchId) !== entry) return;
        outcome = 'failed';
        entry.intervalMs = nextInterval(entry.intervalMs, outcome, polling);
        emit({
          type: 'error',
          workflowId: entry.workflowId,
          batchId: entry.batchId,
          error,
          retryInMs: entry.intervalMs,
        });
        schedule(entry);
        return;
      }
      entry.intervalMs = nextInterval(entry.intervalMs, outcome, polling);
      schedule(entry);
    };
    const running = run().finally(() => {
      entry.inFlight = undefined;
    });
    entry.inFlight = running;
    return running;
  };

  return {
    track(workflowId, batchId, trackOptions = {}) {
      const existing = tracked.get(batchId);
      if (existing) {
        existing.expectedRecords = trackOptions.expectedRecords ?? existing.expectedRecords;
        return;
      }
      const entry: Tracked = {
        workflowId,
        batchId,
        expectedRecords: trackOptions.expectedRecords,
        intervalMs: polling.minMs,
        timer: undefined,
        inFlight: undefined,
        last: undefined,
      };
      tracked.set(batchId, entry);
      void poll(entry);
    },
    untrack(batchId) {
      const entry = tracked.get(batchId);
      if (!entry) return;
      if (entry.timer !== undefined) timers.clearTimeout(entry.timer);
      tracked.delete(batchId);
    },
    snapshot(batchId) {
      return tracked.get(batchId)?.last;
    },
    async refresh(batchId) {
      const entry = tracked.get(batchId);
      if (!entry) return;
      // A poll already running may have read its counts before the caller's change: wait for it, then poll again.
      if (entry.inFlight) await entry.inFlight;
      if (entry.timer !== undefined) timers.clearTimeout(entry.timer);
      entry.timer = undefined;
      await poll(entry);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      for (const entry of tracked.values()) {
        if (entry.timer !== undefined) timers.clearTimeout(entry.timer);
      }
      tracked.clear();
      listeners.clear();
    },
  };
}

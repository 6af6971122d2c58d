/**
 * Batch completion tracking: polls the tracked batches' counts and announces `batchCompletion` on every change,
 * with a notification when a batch becomes done.
 */
import type { Completion } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import { completionOf, countsOf, findBatchSummary } from './catalog.ts';
import type { EventHub } from './events.ts';

export interface CompletionTracker {
  track(workflowId: string, batchId: string): Promise<Completion>;
  latest(batchId: string): Completion | null;
  setClient(client: AlegionClient | null): void;
  close(): void;
}

/** Creates the tracker; `intervalMs` is the poll period of tracked, unfinished batches. */
export function createCompletionTracker(
  hub: EventHub,
  onDone: (completion: Completion) => void,
  now: () => number,
  intervalMs = 5000,
): CompletionTracker {
  const tracked = new Map<string, { workflowId: string; latest: Completion | null }>();
  let client: AlegionClient | null = null;
  let timer: NodeJS.Timeout | null = null;

  const poll = async (batchId: string): Promise<Completion> => {
    const entry = tracked.get(batchId);
    if (!entry || !client) throw new Error('batch not tracked');
    const summary = await findBatchSummary(client, batchId, entry.workflowId);
    const completion = completionOf(summary, countsOf(summary), new Date(now()).toISOString());
    const before = entry.latest;
    entry.latest = completion;
    const changed = !before || before.final !== completion.final || before.records !== completion.records;
    if (changed) hub.emit('batchCompletion', completion);
    if (completion.done && !before?.done) onDone(completion);
    return completion;
  };
  const schedule = (): void => {
    if (timer || tracked.size === 0) return;
    timer = setInterval(() => {
      for (const [batchId, entry] of tracked) {
        if (entry.latest?.done) continue;
        poll(batchId).catch(() => {
          // A failed poll is retried at the next tick; connection trouble is reported by the connection itself.
        });
      }
    }, intervalMs);
    timer.unref();
  };

  return {
    async track(workflowId, batchId) {
      tracked.set(batchId, { workflowId, latest: tracked.get(batchId)?.latest ?? null });
      schedule();
      return poll(batchId);
    },
    latest: (batchId) => tracked.get(batchId)?.latest ?? null,
    setClient(next) {
      client = next;
      if (!next) tracked.clear();
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      tracked.clear();
    },
  };
}

/**
 * Batch completion, over the doneness monitor: tracked batches are polled adaptively, every change is announced
 * as `batchCompletion`, and a batch becoming done raises a notification. The monitor belongs to the connected
 * client, so it is replaced when the connection changes.
 */
import type { Completion } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import type { CompletionSnapshot } from '../doneness/completion.ts';
import { createDonenessMonitor } from '../doneness/monitor.ts';
import type { DonenessMonitor } from '../doneness/monitor.ts';
import { countsOf } from './catalog.ts';
import { EngineError } from './errors.ts';
import type { EventHub } from './events.ts';

export interface CompletionTracker {
  track(workflowId: string, batchId: string): Promise<Completion>;
  latest(batchId: string): Completion | null;
  /** The monitor of the current connection (auto-sync listens to its result counts). */
  monitor(): DonenessMonitor | null;
  setClient(client: AlegionClient | null): void;
  close(): void;
}

/** The contract's view of a monitor snapshot. */
export function completionView(snapshot: CompletionSnapshot, updatedAt: string): Completion {
  const counts = countsOf(snapshot.batchCounts ?? {});
  const canceled = Math.min(counts.canceled, snapshot.exceptionOrCanceled);
  return {
    batchId: snapshot.batchId,
    workflowId: snapshot.workflowId,
    records: snapshot.records,
    results: snapshot.results,
    exceptions: snapshot.exceptionOrCanceled - canceled,
    canceled,
    final: snapshot.final,
    percentFinal: snapshot.percentFinal,
    done: snapshot.done,
    counts,
    updatedAt,
  };
}

/** Creates the tracker. */
export function createCompletionTracker(
  hub: EventHub,
  onDone: (completion: Completion) => void,
  now: () => number,
  onMonitor: (monitor: DonenessMonitor | null) => void = () => {},
): CompletionTracker {
  let monitor: DonenessMonitor | null = null;
  const latest = new Map<string, Completion>();
  const iso = () => new Date(now()).toISOString();

  return {
    async track(workflowId, batchId) {
      if (!monitor)
        throw new EngineError('not-connected', 'not connected: choose a profile or try the sandbox first');
      monitor.track(workflowId, batchId);
      await monitor.refresh(batchId);
      const snapshot = monitor.snapshot(batchId);
      if (!snapshot)
        throw new EngineError('not-found', `batch ${batchId} could not be read; check that it exists`);
      const view = completionView(snapshot, iso());
      latest.set(batchId, view);
      return view;
    },
    latest: (batchId) => latest.get(batchId) ?? null,
    monitor: () => monitor,
    setClient(client) {
      monitor?.stop();
      latest.clear();
      monitor = client ? createDonenessMonitor({ client }) : null;
      monitor?.subscribe((event) => {
        if (event.type === 'error') return;
        const view = completionView(event.snapshot, iso());
        latest.set(view.batchId, view);
        hub.emit('batchCompletion', view);
        if (event.type === 'done') onDone(view);
      });
      onMonitor(monitor);
    },
    close() {
      monitor?.stop();
      monitor = null;
      latest.clear();
    },
  };
}

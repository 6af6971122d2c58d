/**
 * Batch completion, over the doneness monitor: tracked batches are polled adaptively, every change is announced
 * as `batchCompletion`, and a batch becoming done (with none of its files still uploading) raises a notification. The monitor belongs to the connected
 * client, so it is replaced when the connection changes.
 */
import type { Completion, LabelingEstimateView } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import type { CompletionSnapshot } from '../doneness/completion.ts';
import { LabelingEstimator } from '../doneness/labeling-estimate.ts';
import type { LabelingEstimate } from '../doneness/labeling-estimate.ts';
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
function completionView(snapshot: CompletionSnapshot, updatedAt: string, coming = 0): Completion {
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
    coming,
    counts,
    updatedAt,
  };
}

/** The contract's view of an estimate (the finish as a time of day). */
function estimateView(estimate: LabelingEstimate): LabelingEstimateView {
  if (estimate.state === 'waiting') return estimate;
  const { perMinute, secondsLeft, finishAtMs } = estimate;
  return { state: 'ready', perMinute, secondsLeft, finishAt: new Date(finishAtMs).toISOString() };
}

/** Files of a batch still on their way to it from this app (queued, uploading or paused); failures count as none. */
type PendingUploads = (batchId: string) => Promise<number>;

/**
 * Creates the tracker. A batch whose counts say done while this app still has files on their way to it is shown
 * as not done yet (its records between two requests are all final, but more are coming); it is looked at again
 * when the queue changes. `onDone` runs when a batch is seen going from not done to done, so a batch that was
 * already done when first looked at raises no notification.
 */
export function createCompletionTracker(
  hub: EventHub,
  onDone: (completion: Completion) => void,
  now: () => number,
  onMonitor: (monitor: DonenessMonitor | null) => void = () => {},
  pending: PendingUploads = async () => 0,
): CompletionTracker {
  let monitor: DonenessMonitor | null = null;
  const latest = new Map<string, Completion>();
  /** The done flag last published per batch. */
  const published = new Map<string, boolean>();
  /** Batches done by their counts but with files still coming. */
  const held = new Set<string>();
  /** One settle at a time per batch, so an older answer never overwrites a newer one. */
  const settling = new Map<string, Promise<void>>();
  /** The labeling estimate per batch, fed every snapshot published. */
  const estimators = new Map<string, LabelingEstimator>();
  const iso = () => new Date(now()).toISOString();

  /** The batch's estimate with this snapshot: its final records against the records there will be. */
  const estimate = (view: Completion): LabelingEstimateView | undefined => {
    let estimator = estimators.get(view.batchId);
    if (!estimator) {
      estimator = new LabelingEstimator();
      estimators.set(view.batchId, estimator);
    }
    const next = estimator.observe(now(), view.final, view.records + view.coming);
    return next ? estimateView(next) : undefined;
  };

  /** The contract's view of a snapshot with the files still coming, not done while any is on its way. */
  const viewOf = async (snapshot: CompletionSnapshot): Promise<Completion> => {
    const coming = await pending(snapshot.batchId).catch(() => 0);
    const plain = completionView(snapshot, iso(), coming);
    const labeling = estimate(plain);
    const view = labeling ? { ...plain, estimate: labeling } : plain;
    if (!view.done || coming === 0) {
      held.delete(view.batchId);
      return view;
    }
    held.add(view.batchId);
    return { ...view, done: false };
  };

  const publish = (view: Completion): void => {
    const before = published.get(view.batchId);
    latest.set(view.batchId, view);
    published.set(view.batchId, view.done);
    hub.emit('batchCompletion', view);
    if (view.done && before === false) onDone(view);
  };

  /** Publishes a snapshot of the current monitor (dropped when the connection changed meanwhile). */
  const settle = (owner: DonenessMonitor, snapshot: CompletionSnapshot): Promise<void> => {
    const previous = settling.get(snapshot.batchId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const view = await viewOf(snapshot);
        if (monitor === owner) publish(view);
      })
      // The hub isolates its listeners; a throwing notifier must not stop the batch's later updates either.
      .catch(() => undefined);
    settling.set(snapshot.batchId, next);
    void next.finally(() => {
      if (settling.get(snapshot.batchId) === next) settling.delete(snapshot.batchId);
    });
    return next;
  };

  /** Polls a held batch again once none of its files is on its way any more, and publishes what it finds. */
  const recheck = async (owner: DonenessMonitor, batchId: string): Promise<void> => {
    if ((await pending(batchId).catch(() => 0)) > 0) return;
    // The last snapshot predates the queue's change (its last record may just have been made): read it again.
    await owner.refresh(batchId);
    const fresh = owner.snapshot(batchId);
    if (fresh) await settle(owner, fresh);
  };
  /** Publishes a batch again when the count of its files still coming changed (its records did not). */
  const recount = async (owner: DonenessMonitor, batchId: string): Promise<void> => {
    const before = latest.get(batchId);
    const snapshot = owner.snapshot(batchId);
    if (!before || !snapshot) return;
    if ((await pending(batchId).catch(() => before.coming)) === before.coming) return;
    await settle(owner, snapshot);
  };
  const rechecking = new Set<string>();
  // The queue moving on changes what is still coming to a tracked batch, and a held batch may then be done (its
  // last file recorded, failed or canceled).
  const offQueue = hub.on('queueChanged', () => {
    const owner = monitor;
    if (!owner) return;
    for (const batchId of new Set([...latest.keys(), ...held])) {
      if (rechecking.has(batchId)) continue;
      rechecking.add(batchId);
      void (held.has(batchId) ? recheck(owner, batchId) : recount(owner, batchId))
        .catch(() => undefined)
        .finally(() => rechecking.delete(batchId));
    }
  });

  return {
    async track(workflowId, batchId) {
      if (!monitor)
        throw new EngineError('not-connected', 'not connected: choose a profile or try the sandbox first');
      const owner = monitor;
      owner.track(workflowId, batchId);
      await owner.refresh(batchId);
      const snapshot = owner.snapshot(batchId);
      if (!snapshot)
        throw new EngineError('not-found', `batch ${batchId} could not be read; check that it exists`);
      await settling.get(batchId);
      return latest.get(batchId) ?? (await viewOf(snapshot));
    },
    latest: (batchId) => latest.get(batchId) ?? null,
    monitor: () => monitor,
    setClient(client) {
      monitor?.stop();
      latest.clear();
      published.clear();
      held.clear();
      estimators.clear();
      const owner = client ? createDonenessMonitor({ client }) : null;
      monitor = owner;
      owner?.subscribe((event) => {
        if (event.type === 'change') void settle(owner, event.snapshot);
      });
      onMonitor(monitor);
    },
    close() {
      offQueue();
      monitor?.stop();
      monitor = null;
      latest.clear();
      published.clear();
      held.clear();
    },
  };
}

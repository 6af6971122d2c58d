/**
 * The service's events: listeners by name, and the coalescing of changes into progress snapshots (at most one each
 * SNAPSHOT_INTERVAL_MS, and none while nothing changes or moves).
 */
import type { Notice, ProgressSnapshot, QueueItemView } from '../../common/api.ts';
import type { ProgressTracker } from './queue/progress.ts';

/** Events of the service, named as the contract's events where they match. */
export interface UploadServiceEvents {
  queueProgress: ProgressSnapshot;
  queueChanged: { reason: string };
  /** News for the user that no state carries (the queue's mode is not one: it is in the totals). */
  notice: Notice;
  /** Items that reached a final state: done, failed, canceled or skipped. */
  itemsSettled: QueueItemView[];
}

type Listener<T> = (payload: T) => void;

const SNAPSHOT_INTERVAL_MS = 100;

export class ServiceEvents {
  private readonly listeners = new Map<keyof UploadServiceEvents, Set<Listener<never>>>();
  private snapshotTimer: NodeJS.Timeout | null = null;
  private dirty = true;
  private changeReason: string | null = null;

  private readonly progress: ProgressTracker;
  private readonly snapshot: () => ProgressSnapshot;

  constructor(progress: ProgressTracker, snapshot: () => ProgressSnapshot) {
    this.progress = progress;
    this.snapshot = snapshot;
  }

  /** Starts emitting snapshots. */
  start(): void {
    this.snapshotTimer = setInterval(() => this.tick(), SNAPSHOT_INTERVAL_MS);
    this.snapshotTimer.unref();
  }

  stop(): void {
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof UploadServiceEvents>(event: E, listener: Listener<UploadServiceEvents[E]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** True when someone listens to the event (so the payload is worth building). */
  listened(event: keyof UploadServiceEvents): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit<E extends keyof UploadServiceEvents>(event: E, payload: UploadServiceEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? [])
      (listener as Listener<UploadServiceEvents[E]>)(payload);
  }

  /** Something changed: the next tick emits a snapshot, and the first reason since the last one. */
  markChanged(reason: string): void {
    this.dirty = true;
    this.changeReason ??= reason;
  }

  private tick(): void {
    const active = this.progress.transfers().length > 0;
    if (!this.dirty && !active && this.progress.throughput === 0) return;
    this.dirty = false;
    this.progress.tick();
    if (this.changeReason) {
      this.emit('queueChanged', { reason: this.changeReason });
      this.changeReason = null;
    }
    this.emit('queueProgress', this.snapshot());
  }
}

/**
 * Progress of the transfers in flight, turned into coalesced snapshots: per-item bytes and speed, total throughput
 * as an exponential moving average over a few seconds, and the ETA. The service emits at most 10 snapshots a
 * second, however many items are active.
 */

interface ActiveTransfer {
  size: number;
  bytes: number;
  speed: number;
  lastBytes: number;
}

/** Seconds over which throughput is averaged. */
const TIME_CONSTANT_S = 3;

export class ProgressTracker {
  private readonly active = new Map<number, ActiveTransfer>();
  private sentTotal = 0;
  private sentAtLastTick = 0;
  private lastTick: number;
  private throughputNow = 0;
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
    this.lastTick = now();
  }

  /** A PUT started (or restarted from byte 0). */
  start(id: number, size: number): void {
    const previous = this.active.get(id);
    this.active.set(id, { size, bytes: 0, speed: previous?.speed ?? 0, lastBytes: 0 });
  }

  /** Bytes sent so far by a PUT. */
  update(id: number, bytes: number): void {
    const transfer = this.active.get(id);
    if (!transfer) return;
    if (bytes > transfer.bytes) this.sentTotal += bytes - transfer.bytes;
    transfer.bytes = bytes;
  }

  /** A PUT ended (whatever the outcome). */
  end(id: number): void {
    this.active.delete(id);
  }

  /** Bytes in flight (sent by PUTs not yet finished). */
  get inFlightBytes(): number {
    let sum = 0;
    for (const transfer of this.active.values()) sum += transfer.bytes;
    return sum;
  }

  /** Bytes sent by every PUT since the tracker was made (restarted PUTs count again). */
  get sentBytes(): number {
    return this.sentTotal;
  }

  get throughput(): number {
    return this.throughputNow;
  }

  /** Advances the moving averages; call once per snapshot. */
  tick(): void {
    const now = this.now();
    const dt = (now - this.lastTick) / 1000;
    if (dt <= 0) return;
    const alpha = 1 - Math.exp(-dt / TIME_CONSTANT_S);
    const rate = (this.sentTotal - this.sentAtLastTick) / dt;
    this.throughputNow = this.throughputNow + alpha * (rate - this.throughputNow);
    if (this.throughputNow < 1) this.throughputNow = 0;
    for (const transfer of this.active.values()) {
      const itemRate = (transfer.bytes - transfer.lastBytes) / dt;
      transfer.speed = transfer.speed + alpha * (itemRate - transfer.speed);
      transfer.lastBytes = transfer.bytes;
    }
    this.sentAtLastTick = this.sentTotal;
    this.lastTick = now;
  }

  /** The transfers in flight, for the snapshot. */
  transfers(): { id: number; bytesSent: number; size: number; speed: number }[] {
    return [...this.active.entries()].map(([id, t]) => ({
      id,
      bytesSent: t.bytes,
      size: t.size,
      speed: t.speed,
    }));
  }

  /** Bytes sent and speed of one item, when it is transferring. */
  of(id: number): { bytesSent: number; speed: number } | undefined {
    const transfer = this.active.get(id);
    return transfer ? { bytesSent: transfer.bytes, speed: transfer.speed } : undefined;
  }
}

/** Seconds left at the current throughput, or null when it cannot be told. */
export function etaSeconds(remainingBytes: number, throughput: number): number | null {
  if (remainingBytes <= 0) return 0;
  if (throughput <= 0) return null;
  return Math.ceil(remainingBytes / throughput);
}

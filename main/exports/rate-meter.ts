/**
 * Throughput and time-left estimates for a transfer: a sliding window of (time, bytes) samples, so the figure
 * follows the current speed instead of averaging over the whole run (which a resume after a stall would skew).
 */

/** Bytes per second over the last `windowMs`, and the seconds left at that speed. */
export class RateMeter {
  readonly #windowMs: number;
  readonly #samples: { at: number; bytes: number }[] = [];

  constructor(windowMs = 5000) {
    this.#windowMs = windowMs;
  }

  /** Records that `bytes` (a running total) had been transferred at time `at` (ms). */
  sample(at: number, bytes: number): void {
    const last = this.#samples.at(-1);
    // A restart from zero makes earlier samples meaningless.
    if (last && bytes < last.bytes) this.#samples.length = 0;
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - (this.#samples[1]?.at ?? at) >= this.#windowMs) {
      this.#samples.shift();
    }
  }

  /** Current throughput in bytes per second (0 until two samples span some time). */
  bytesPerSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  /** Seconds until `total` at the current speed; undefined when the total or the speed is unknown. */
  etaSeconds(total: number | undefined): number | undefined {
    const last = this.#samples.at(-1);
    const rate = this.bytesPerSecond();
    if (total === undefined || !last || rate <= 0) return undefined;
    return Math.max(0, (total - last.bytes) / rate);
  }
}

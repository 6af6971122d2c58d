/**
 * A rate of progress over a sliding window of samples: the amount done across the window over the time it spans.
 * A short moving average swings with every step of progress (a file finishing, a task labeled), so the upload ETA
 * and the labeling estimate both read their rate from here, each with its own window.
 */

interface SlidingRateOptions {
  /** Samples are kept this long: the rate is the progress across them. */
  windowMs: number;
  /** At most one sample this often. */
  sampleEveryMs: number;
}

interface Sample {
  at: number;
  done: number;
}

export class SlidingRate {
  private samples: Sample[] = [];
  private readonly options: SlidingRateOptions;

  constructor(options: SlidingRateOptions) {
    this.options = options;
  }

  /** Forgets every sample (a new stretch starts). */
  reset(): void {
    this.samples = [];
  }

  /** The newest sample, if any. */
  last(): Sample | undefined {
    return this.samples[this.samples.length - 1];
  }

  /** Takes `done` at `at` (ms): kept when the last sample is old enough or `force` is set. */
  push(at: number, done: number, force = false): void {
    const last = this.last();
    if (!last || at - last.at >= this.options.sampleEveryMs || force) this.samples.push({ at, done });
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= this.options.windowMs) {
      this.samples.shift();
    }
  }

  /** How long the kept samples span, in ms. */
  spanMs(): number {
    const first = this.samples[0];
    const newest = this.last();
    return first && newest ? newest.at - first.at : 0;
  }

  /** Progress across the kept samples. */
  progress(): number {
    const first = this.samples[0];
    const newest = this.last();
    return first && newest ? newest.done - first.done : 0;
  }

  /** Progress per second across the window, or null when the samples span no time. */
  perSecond(): number | null {
    const span = this.spanMs();
    return span > 0 ? this.progress() / (span / 1000) : null;
  }
}

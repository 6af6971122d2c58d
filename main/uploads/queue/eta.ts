/**
 * Time left for the current work, from the bytes done over the last stretch of sending. A short moving average
 * swings with every file that finishes (small files are mostly API calls, so bytes arrive in steps), and an
 * average that starts from zero overshoots at first ("1m 08s" for a job of 1.5 s). So the rate is the bytes done
 * over a sliding window of samples, and no estimate is given until the window spans a warm-up; a stop (paused,
 * offline, nothing under way) starts a new stretch, so the time spent waiting never counts as slow sending.
 */

/** Samples are kept this long: the rate is the bytes done across them. */
const WINDOW_MS = 20_000;
/** No estimate until the samples span this long. */
export const WARM_UP_MS = 4_000;
/** At most one sample this often. */
const SAMPLE_EVERY_MS = 250;

interface Sample {
  at: number;
  done: number;
}

export class EtaEstimator {
  private samples: Sample[] = [];

  /**
   * Takes the bytes done of the current work at `at` (ms) and returns the seconds left, or null when it cannot be
   * told yet. `moving` is false while nothing is being sent (the stretch ends).
   */
  observe(at: number, done: number, total: number, moving: boolean): number | null {
    if (total - done <= 0) {
      this.samples = [];
      return moving ? 0 : null;
    }
    if (!moving) {
      this.samples = [];
      return null;
    }
    const last = this.samples[this.samples.length - 1];
    // Less done than before: the work changed under us (files cleared, a restarted PUT), so start again.
    if (last && done < last.done) this.samples = [];
    if (!last || at - last.at >= SAMPLE_EVERY_MS || done < last.done) this.samples.push({ at, done });
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const newest = this.samples[this.samples.length - 1];
    if (!first || !newest) return null;
    const span = newest.at - first.at;
    if (span < WARM_UP_MS) return null;
    const rate = (newest.done - first.done) / (span / 1000);
    if (rate <= 0) return null;
    return Math.ceil((total - done) / rate);
  }
}

/**
 * Time left for the current work, from the bytes done over the last stretch of sending. A short moving average
 * swings with every file that finishes (small files are mostly API calls, so bytes arrive in steps), and an
 * average that starts from zero overshoots at first ("1m 08s" for a job of 1.5 s). So the rate is the bytes done
 * over a sliding window of samples, and no estimate is given until the window spans a warm-up; a stop (paused,
 * offline, nothing under way) starts a new stretch, so the time spent waiting never counts as slow sending.
 */

import { SlidingRate } from '../../../common/sliding-rate.ts';

/** Samples are kept this long: the rate is the bytes done across them. */
const WINDOW_MS = 20_000;
/** No estimate until the samples span this long. */
export const WARM_UP_MS = 4_000;
/** At most one sample this often. */
const SAMPLE_EVERY_MS = 250;

export class EtaEstimator {
  private readonly rate = new SlidingRate({ windowMs: WINDOW_MS, sampleEveryMs: SAMPLE_EVERY_MS });

  /**
   * Takes the bytes done of the current work at `at` (ms) and returns the seconds left, or null when it cannot be
   * told yet. `moving` is false while nothing is being sent (the stretch ends).
   */
  observe(at: number, done: number, total: number, moving: boolean): number | null {
    if (total - done <= 0) {
      this.rate.reset();
      return moving ? 0 : null;
    }
    if (!moving) {
      this.rate.reset();
      return null;
    }
    const last = this.rate.last();
    // Less done than before: the work changed under us (files cleared, a restarted PUT), so start again.
    const restarted = last !== undefined && done < last.done;
    if (restarted) this.rate.reset();
    this.rate.push(at, done, restarted);
    if (this.rate.spanMs() < WARM_UP_MS) return null;
    const perSecond = this.rate.perSecond();
    if (perSecond === null || perSecond <= 0) return null;
    return Math.ceil((total - done) / perSecond);
  }
}

/**
 * The labeling rate of a batch and when it will be done, from its final records (results, exceptions, canceled)
 * counted over time. The rate is the records finished across a sliding window (see `sliding-rate.ts`), so one
 * poll that catches a burst does not swing it; there is no estimate until the window holds enough labeled records
 * and time; and the rate shown moves by at most a quarter per sample, so the finish time never jumps wildly.
 */
import { SlidingRate } from '../../common/sliding-rate.ts';

/** Records finished across this long make the rate. */
const WINDOW_MS = 5 * 60_000;
/** At most one sample this often (the monitor polls every 2 s while a batch moves). */
const SAMPLE_EVERY_MS = 500;
/** No estimate before this many records were labeled within the window... */
export const MIN_LABELED = 10;
/** ...and before the window spans this long. */
export const MIN_SPAN_MS = 5_000;
/** The rate shown changes by at most this factor from one sample to the next. */
export const MAX_RATE_STEP = 1.25;

export type LabelingEstimate =
  /** Not enough data yet: `recordsNeeded` more records must be labeled first (0 when only time is missing). */
  | { state: 'waiting'; recordsNeeded: number }
  | { state: 'ready'; perMinute: number; secondsLeft: number; finishAtMs: number };

export class LabelingEstimator {
  private readonly rate = new SlidingRate({ windowMs: WINDOW_MS, sampleEveryMs: SAMPLE_EVERY_MS });
  /** The rate last shown, in records per second. */
  private shown: number | null = null;

  /**
   * Takes the records final (`done`) of the `total` expected at `at` (ms). Returns null once nothing is left.
   * A count that goes down (an exception restarted) is kept as is: it lowers the rate a little, and starting
   * again would hide the estimate for a while on every restart.
   */
  observe(at: number, done: number, total: number): LabelingEstimate | null {
    if (total - done <= 0) {
      this.rate.reset();
      this.shown = null;
      return null;
    }
    this.rate.push(at, done);
    const labeled = this.rate.progress();
    if (labeled < MIN_LABELED) return { state: 'waiting', recordsNeeded: MIN_LABELED - Math.max(0, labeled) };
    const raw = this.rate.perSecond();
    if (this.rate.spanMs() < MIN_SPAN_MS || raw === null || raw <= 0)
      return { state: 'waiting', recordsNeeded: 0 };
    const previous = this.shown;
    const perSecond =
      previous === null ? raw : Math.min(previous * MAX_RATE_STEP, Math.max(previous / MAX_RATE_STEP, raw));
    this.shown = perSecond;
    const left = (total - done) / perSecond;
    // The finish is not rounded: a second added on every sample would put it late for a batch nearly done.
    return {
      state: 'ready',
      perMinute: perSecond * 60,
      secondsLeft: Math.ceil(left),
      finishAtMs: at + left * 1000,
    };
  }
}

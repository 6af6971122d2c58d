/**
 * How many uploads are in flight, adapted to the link the way TCP adapts its window (AIMD): a link 40 ms away
 * needs dozens of small files in flight to be filled, a link full of large files needs few. Pure and clock-free:
 * the caller feeds it one sample per interval (throughput, latency, whether the limit was reached) and the
 * refusals of an overloaded server (429, 503), and applies the limit it answers. The user's limit is the ceiling.
 *
 * - Slow start: the limit doubles each sample until requests queue (latency rises without a throughput gain) or
 *   the server refuses them.
 * - Then additive increase: one more each sample, as long as latency does not rise without a gain.
 * - Multiplicative decrease: a quarter off when latency rises without a throughput gain (requests only queue),
 *   half off on a 429 or 503, at most once per sample (one overloaded moment refuses many requests at once).
 */

/** What one interval measured. */
export interface ConcurrencySample {
  /** Work done per second in the interval (bytes sent). */
  throughput: number;
  /** Mean time of the requests that finished in the interval (ms); undefined when none did. */
  latencyMs: number | undefined;
  /**
   * True when the work in flight reached the limit at some point in the interval. An interval that never did
   * says nothing about a larger limit (there was not enough work), so the limit is kept.
   */
  saturated: boolean;
}

type ConcurrencyReason = 'grow' | 'probe' | 'hold' | 'idle' | 'queueing' | 'overload';

export interface ConcurrencyDecision {
  limit: number;
  reason: ConcurrencyReason;
}

interface ConcurrencyControllerOptions {
  /** The user's limit: never exceeded. */
  ceiling: number;
  /** Where to start (clamped to 1..ceiling). */
  initial: number;
  /** Relative throughput gain that counts as a rise (default 0.1: noise below it is no gain). */
  gain?: number;
  /**
   * Relative rise over the lowest latency seen that counts as queueing (default 1: twice the lowest; the client's
   * own work on a busy machine adds to every request's time, so less would be noise).
   */
  latencyTolerance?: number;
}

/** Lowest latency seen is forgotten slowly (this much per sample), so a link that got slower is learnt. */
const MIN_LATENCY_DRIFT = 1.02;

export class ConcurrencyController {
  #limit: number;
  #ceiling: number;
  #slowStart = true;
  /** Throughput of the previous saturated sample, the one a change is judged against. */
  #previous: number | undefined;
  #minLatency: number | undefined;
  /** An overload already halved the limit since the last sample. */
  #backedOff = false;
  readonly #gain: number;
  readonly #latencyTolerance: number;

  constructor(options: ConcurrencyControllerOptions) {
    this.#ceiling = wholeAtLeastOne(options.ceiling);
    this.#limit = Math.min(this.#ceiling, wholeAtLeastOne(options.initial));
    this.#gain = options.gain ?? 0.1;
    this.#latencyTolerance = options.latencyTolerance ?? 1;
  }

  get limit(): number {
    return this.#limit;
  }

  get ceiling(): number {
    return this.#ceiling;
  }

  /** The user changed their limit: it caps the window from now on (a lower one takes effect at once). */
  setCeiling(ceiling: number): number {
    this.#ceiling = wholeAtLeastOne(ceiling);
    this.#limit = Math.min(this.#limit, this.#ceiling);
    return this.#limit;
  }

  /** A request was refused because the server is overloaded (429, 503): halve, once per sample. */
  overloaded(): ConcurrencyDecision {
    if (!this.#backedOff) {
      this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      this.#backedOff = true;
      this.#slowStart = false;
      this.#previous = undefined;
    }
    return { limit: this.#limit, reason: 'overload' };
  }

  /** One interval's measurement: answers the limit for the next one. */
  observe(sample: ConcurrencySample): ConcurrencyDecision {
    const backedOff = this.#backedOff;
    this.#backedOff = false;
    if (sample.latencyMs !== undefined && Number.isFinite(sample.latencyMs)) {
      this.#minLatency =
        this.#minLatency === undefined
          ? sample.latencyMs
          : Math.min(this.#minLatency * MIN_LATENCY_DRIFT, sample.latencyMs);
    }
    if (backedOff) return this.#decide('overload');
    if (!sample.saturated) return this.#decide('idle');
    const previous = this.#previous;
    this.#previous = sample.throughput;
    if (previous === undefined) return this.#decide('hold');
    const rose = sample.throughput > previous * (1 + this.#gain);
    const queueing =
      sample.latencyMs !== undefined &&
      this.#minLatency !== undefined &&
      sample.latencyMs > this.#minLatency * (1 + this.#latencyTolerance);
    if (queueing && !rose) {
      this.#slowStart = false;
      this.#limit = Math.floor(this.#limit * 0.75);
      return this.#decide('queueing');
    }
    // A flat sample ends nothing: throughput is noisy, and only queueing or an overload says the link is full.
    if (this.#slowStart) {
      this.#limit *= 2;
      return this.#decide(rose ? 'grow' : 'probe');
    }
    this.#limit += 1;
    return this.#decide(rose ? 'grow' : 'probe');
  }

  #decide(reason: ConcurrencyReason): ConcurrencyDecision {
    this.#limit = Math.max(1, Math.min(this.#ceiling, this.#limit));
    return { limit: this.#limit, reason };
  }
}

function wholeAtLeastOne(value: number): number {
  return Number.isFinite(value) ? Math.max(1, Math.floor(value)) : 1;
}

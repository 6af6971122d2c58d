/**
 * The concurrency controller applied to the queue: every interval it measures the bytes sent, the mean time of the
 * API calls and whether the queue used all its room, asks the controller for the next window, and sets the PUT and
 * API limits from it (each under its own user limit). A 429 or 503, from a failed call or from the client's
 * retries, halves the window at once.
 *
 * The window is the PUT limit. To keep that many PUTs going, the queue keeps more items under way when the other
 * steps of an item take longer than its PUT (Little's law): a small file 40 ms away spends three round trips in
 * API calls for each one in its PUT, so about four times the window must be under way; a large file spends almost
 * all its time in the PUT, so about the window. The measured ratio of an item's step time to its PUT time sets
 * the items under way, at most the API ceiling; every item under way may be in an API call, so the API limit is
 * the items under way plus the lookahead.
 */
import { ConcurrencyController } from './concurrency-controller.ts';
import type { ConcurrencyDecision } from './concurrency-controller.ts';
import type { ClientEvent } from '../../alegion/types.ts';
import type { Limiter } from './limits.ts';
import type { ProgressTracker } from './progress.ts';

/** The users' limits: the most API calls and the most PUTs in flight. */
export interface ConcurrencyCeilings {
  api: number;
  put: number;
}

interface AdaptiveConcurrencyOptions {
  api: Limiter;
  puts: Limiter;
  progress: ProgressTracker;
  ceilings: ConcurrencyCeilings;
  /** Items under way beyond the PUT limit (the runner's lookahead). */
  lookahead: number;
  /** Where the window starts (default 8, or the PUT ceiling when lower). */
  initial?: number;
  /** How often a sample is taken (ms, default 500: a few round trips of a slow link). */
  intervalMs?: number;
  /** The window changed (the runner looks for work). */
  onChange?: (decision: ConcurrencyDecision) => void;
}

/** Weight of the newest sample in the smoothed ratio of step time to PUT time. */
const STEP_RATIO_WEIGHT = 0.5;

/** Statuses that mean the server is overloaded and asks for fewer requests. */
const OVERLOAD_STATUSES = new Set([429, 503]);

/** True for an error (or a client retry reason) that says the server is overloaded. */
function isOverload(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && OVERLOAD_STATUSES.has(status);
}

/** True for a retry the client made after a 429 or 503 (the request is repeated; the load should drop). */
export function isOverloadRetry(event: ClientEvent): boolean {
  return event.type === 'retry' && /^HTTP (429|503)$/.test(event.reason);
}

export class AdaptiveConcurrency {
  readonly #options: AdaptiveConcurrencyOptions;
  readonly #controller: ConcurrencyController;
  #ceilings: ConcurrencyCeilings;
  #timer: NodeJS.Timeout | null = null;
  #lastAt = performance.now();
  #lastBytes: number;
  #reached = false;
  /** A 429 or 503 came since the window last grew. */
  #overloaded = false;
  /** An item's time in its API calls and PUT over its time in the PUT (1 until PUTs have been timed). */
  #stepRatio = 1;

  constructor(options: AdaptiveConcurrencyOptions) {
    this.#options = options;
    this.#ceilings = { ...options.ceilings };
    this.#controller = new ConcurrencyController({
      ceiling: options.ceilings.put,
      initial: options.initial ?? 8,
    });
    this.#lastBytes = options.progress.sentBytes;
    const overload = (error: unknown): void => {
      if (isOverload(error)) this.overloaded();
    };
    options.api.onFailure(overload);
    options.puts.onFailure(overload);
    this.#apply();
  }

  /** The current window (PUTs in flight). */
  get window(): number {
    return this.#controller.limit;
  }

  /** Items the queue keeps in the upload step (beyond its lookahead): enough to keep the window's PUTs going. */
  get underWay(): number {
    const window = this.#controller.limit;
    // Refused API calls take longer (their retries), which would raise the ratio and the API calls with it: while
    // the server says it is overloaded, only the window is under way.
    if (this.#overloaded) return window;
    const wanted = Math.round(window * this.#stepRatio);
    return Math.max(window, Math.min(wanted, this.#ceilings.api));
  }

  start(): void {
    if (this.#timer) return;
    this.#lastAt = performance.now();
    this.#lastBytes = this.#options.progress.sentBytes;
    this.#options.api.takeTimings();
    this.#options.puts.takeTimings();
    this.#timer = setInterval(() => this.sample(), this.#options.intervalMs ?? 500);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The user changed their limits: they cap the window from now on. */
  setCeilings(ceilings: ConcurrencyCeilings): void {
    this.#ceilings = { ...ceilings };
    this.#controller.setCeiling(ceilings.put);
    this.#apply();
  }

  /** The runner has `uploading` items under way (called as each starts). */
  noteUnderWay(uploading: number): void {
    if (uploading >= this.underWay + this.#options.lookahead) this.#reached = true;
  }

  /** A 429 or 503 (from a call that failed, or from a retry the client made). */
  overloaded(): void {
    const before = this.#controller.limit;
    const underWayBefore = this.underWay;
    this.#overloaded = true;
    const decision = this.#controller.overloaded();
    if (decision.limit !== before || this.underWay !== underWayBefore) this.#changed(decision);
  }

  /** Takes one sample now (the timer calls this; tests may too). */
  sample(): ConcurrencyDecision {
    const now = performance.now();
    const seconds = Math.max(1e-3, (now - this.#lastAt) / 1000);
    const bytes = this.#options.progress.sentBytes;
    const { count, totalMs } = this.#options.api.takeTimings();
    const { puts } = this.#options;
    const putTimings = puts.takeTimings();
    const underWayBefore = this.underWay;
    if (putTimings.count > 0 && putTimings.totalMs > 0) {
      const ratio = (totalMs + putTimings.totalMs) / putTimings.totalMs;
      this.#stepRatio = this.#stepRatio * (1 - STEP_RATIO_WEIGHT) + ratio * STEP_RATIO_WEIGHT;
    }
    const saturated = this.#reached || puts.inUse >= puts.size;
    this.#reached = false;
    const before = this.#controller.limit;
    const decision = this.#controller.observe({
      throughput: (bytes - this.#lastBytes) / seconds,
      latencyMs: count > 0 ? totalMs / count : undefined,
      saturated,
    });
    this.#lastAt = now;
    this.#lastBytes = bytes;
    if (decision.reason === 'grow' || decision.reason === 'probe') this.#overloaded = false;
    if (decision.limit !== before || this.underWay !== underWayBefore) this.#changed(decision);
    return decision;
  }

  #changed(decision: ConcurrencyDecision): void {
    this.#apply();
    this.#options.onChange?.(decision);
  }

  #apply(): void {
    const window = this.#controller.limit;
    this.#options.puts.setLimit(Math.min(this.#ceilings.put, window));
    this.#options.api.setLimit(Math.min(this.#ceilings.api, this.underWay + this.#options.lookahead));
  }
}

/**
 * The concurrency controller applied to the queue: every interval it measures the bytes sent, the mean time of the
 * API calls and whether the queue used all its room, asks the controller for the next window, and sets the PUT and
 * API limits from it (each under its own user limit). A 429 or 503, from a failed call or from the client's
 * retries, halves the window at once.
 *
 * The window is the PUT limit; the queue keeps that many items plus its lookahead under way, and as every item
 * under way may be in an API call, the API limit is the window plus the lookahead.
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

  start(): void {
    if (this.#timer) return;
    this.#lastAt = performance.now();
    this.#lastBytes = this.#options.progress.sentBytes;
    this.#options.api.takeTimings();
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
    if (uploading >= this.#options.puts.size + this.#options.lookahead) this.#reached = true;
  }

  /** A 429 or 503 (from a call that failed, or from a retry the client made). */
  overloaded(): void {
    const before = this.#controller.limit;
    const decision = this.#controller.overloaded();
    if (decision.limit !== before) this.#changed(decision);
  }

  /** Takes one sample now (the timer calls this; tests may too). */
  sample(): ConcurrencyDecision {
    const now = performance.now();
    const seconds = Math.max(1e-3, (now - this.#lastAt) / 1000);
    const bytes = this.#options.progress.sentBytes;
    const { count, totalMs } = this.#options.api.takeTimings();
    const { puts } = this.#options;
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
    if (decision.limit !== before) this.#changed(decision);
    return decision;
  }

  #changed(decision: ConcurrencyDecision): void {
    this.#apply();
    this.#options.onChange?.(decision);
  }

  #apply(): void {
    const window = this.#controller.limit;
    this.#options.puts.setLimit(Math.min(this.#ceilings.put, window));
    this.#options.api.setLimit(Math.min(this.#ceilings.api, window + this.#options.lookahead));
  }
}

/**
 * The two knobs of throughput, both changeable while running: a counting semaphore (separate ones for API calls
 * and for PUTs) and a token bucket for the global bandwidth limit.
 */

/** Tasks a limiter finished since it was last asked, and their summed time (for the latency signal). */
interface LimiterTimings {
  count: number;
  totalMs: number;
}

/**
 * A semaphore whose limit can change while tasks hold it. It also times its tasks and tells a listener about the
 * ones that fail, so that the adaptive concurrency sees latency and overload without wrapping every call.
 */
export class Limiter {
  private limit: number;
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private finished = 0;
  private busyMs = 0;
  private failureListener: ((error: unknown) => void) | undefined;

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  get inUse(): number {
    return this.active;
  }

  get size(): number {
    return this.limit;
  }

  /** Changes the limit; raising it lets waiters in at once, lowering it takes effect as holders release. */
  setLimit(limit: number): void {
    this.limit = Math.max(1, Math.floor(limit));
    this.drain();
  }

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    const started = performance.now();
    try {
      return await task();
    } catch (error) {
      this.failureListener?.(error);
      throw error;
    } finally {
      this.finished++;
      this.busyMs += performance.now() - started;
      this.release();
    }
  }

  /** The tasks finished since the last call, and their summed time (each counted once). */
  takeTimings(): LimiterTimings {
    const timings = { count: this.finished, totalMs: this.busyMs };
    this.finished = 0;
    this.busyMs = 0;
    return timings;
  }

  /** Tells `listener` about every task that fails (its error is still thrown to the caller). */
  onFailure(listener: ((error: unknown) => void) | undefined): void {
    this.failureListener = listener;
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    this.active--;
    this.drain();
  }

  private drain(): void {
    while (this.active < this.limit && this.waiters.length > 0) {
      this.active++;
      this.waiters.shift()?.();
    }
  }
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/**
 * A token bucket shared by every PUT: `take(n)` resolves once n bytes may go out. A rate of 0 means unlimited.
 * The burst is a quarter of a second of traffic, so a new limit shows within moments.
 */
export class TokenBucket {
  private rate: number;
  private tokens = 0;
  private last: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    bytesPerSecond: number,
    now: () => number = () => performance.now(),
    sleep: (ms: number, signal?: AbortSignal) => Promise<void> = sleepFor,
  ) {
    this.rate = Math.max(0, bytesPerSecond);
    this.now = now;
    this.sleep = sleep;
    this.last = now();
  }

  get bytesPerSecond(): number {
    return this.rate;
  }

  /** Changes the rate (0 = unlimited). */
  setRate(bytesPerSecond: number): void {
    this.refill();
    this.rate = Math.max(0, bytesPerSecond);
    this.tokens = Math.min(this.tokens, this.burst());
  }

  /** Waits until `bytes` may be sent (at once when unlimited). */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    let remaining = bytes;
    while (remaining > 0) {
      if (this.rate === 0) return;
      this.refill();
      const grant = Math.min(remaining, Math.max(0, Math.floor(this.tokens)));
      if (grant > 0) {
        this.tokens -= grant;
        remaining -= grant;
        continue;
      }
      const waitMs = Math.max(
        5,
        Math.min(250, ((Math.min(remaining, this.burst()) - this.tokens) / this.rate) * 1000),
      );
      await this.sleep(waitMs, signal);
    }
  }

  private burst(): number {
    return Math.max(16 * 1024, this.rate / 4);
  }

  private refill(): void {
    const now = this.now();
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    if (this.rate > 0) this.tokens = Math.min(this.burst(), this.tokens + elapsed * this.rate);
  }
}

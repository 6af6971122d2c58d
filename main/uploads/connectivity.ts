/**
 * Online/offline as the engine sees it. A network error does not fail an item: it asks "is the API reachable?"
 * with one cheap probe. If not, the engine goes offline, uploads wait, and the probe repeats with a short backoff
 * (capped low so the queue resumes within seconds of the network coming back).
 */

export interface ConnectivityOptions {
  /** A cheap request that succeeds when the API is reachable. */
  probe: () => Promise<void>;
  /** Called when the state flips. */
  onChange: (online: boolean) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class Connectivity {
  private onlineNow = true;
  private checking: Promise<boolean> | null = null;
  private waiters: (() => void)[] = [];
  private stopped = false;
  private readonly options: Required<ConnectivityOptions>;

  constructor(options: ConnectivityOptions) {
    this.options = {
      initialDelayMs: 250,
      maxDelayMs: 2000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
      ...options,
    };
  }

  get online(): boolean {
    return this.onlineNow;
  }

  /** Resolves when the engine is online (at once if it is). */
  waitOnline(): Promise<void> {
    if (this.onlineNow || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * After a network error: probes once (shared by concurrent callers). Returns true when the API answered (the
   * error was the item's own, e.g. a cut PUT), false when the engine is now offline and probing in the background.
   */
  check(): Promise<boolean> {
    if (!this.onlineNow) return Promise.resolve(false);
    this.checking ??= this.options
      .probe()
      .then(
        () => true,
        () => {
          this.setOnline(false);
          void this.probeUntilOnline();
          return false;
        },
      )
      .finally(() => {
        this.checking = null;
      });
    return this.checking;
  }

  /** Stops background probing and releases waiters. */
  stop(): void {
    this.stopped = true;
    this.release();
  }

  private async probeUntilOnline(): Promise<void> {
    let delay = this.options.initialDelayMs;
    while (!this.stopped && !this.onlineNow) {
      await this.options.sleep(delay);
      if (this.stopped) return;
      try {
        await this.options.probe();
        this.setOnline(true);
        return;
      } catch {
        delay = Math.min(this.options.maxDelayMs, delay * 2);
      }
    }
  }

  private setOnline(online: boolean): void {
    if (this.onlineNow === online) return;
    this.onlineNow = online;
    this.options.onChange(online);
    if (online) this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Online/offline as the engine sees it. A network error does not fail an item: it asks "is the API reachable?"
 * with one cheap probe. If not, the engine goes offline, uploads wait, and the probe repeats with a short backoff
 * (capped low so the queue resumes within seconds of the network coming back). One exception: a host name that does
 * not resolve, before the API has answered once, is a mistyped API URL far more often than an outage, and waiting
 * for it would never end; with `onHostNotFound` it is reported instead.
 */

/** getaddrinfo's answers for a name that does not resolve: no such name, or no name server answered. */
const NAME_NOT_RESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/**
 * The sentence for an error that says the API's host name does not resolve (from the client's NetworkError or a
 * fetch), or undefined for any other error.
 */
export function hostNotFoundMessage(error: unknown): string | undefined {
  const { code, host } = lookupFailure(error) ?? {};
  if (code === undefined || !NAME_NOT_RESOLVED.has(code)) return undefined;
  const name = (host ?? 'of the API').replace(/:\d+$/, '');
  return code === 'EAI_AGAIN'
    ? `cannot find the host ${name} (no name server answered): check the API URL and the network`
    : `cannot find the host ${name}: check the API URL`;
}

/** The error code and host of a failed lookup, read from the error or its cause (never its message). */
function lookupFailure(error: unknown): { code?: string; host?: string } | undefined {
  for (let at: unknown = error, depth = 0; at && typeof at === 'object' && depth < 3; depth++) {
    const view = at as { code?: unknown; host?: unknown; hostname?: unknown; cause?: unknown };
    const cause = view.cause as { code?: unknown; hostname?: unknown } | undefined;
    const code = typeof view.code === 'string' ? view.code : undefined;
    if (code && NAME_NOT_RESOLVED.has(code)) {
      return { code, host: typeof view.hostname === 'string' ? view.hostname : undefined };
    }
    if (cause && typeof cause.code === 'string' && NAME_NOT_RESOLVED.has(cause.code)) {
      const host = typeof view.host === 'string' ? view.host : cause.hostname;
      return { code: cause.code, host: typeof host === 'string' ? host : undefined };
    }
    at = view.cause;
  }
  return undefined;
}

interface ConnectivityOptions {
  /** A cheap request that succeeds when the API is reachable. */
  probe: () => Promise<void>;
  /** Called when the state flips. */
  onChange: (online: boolean) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Called (instead of going offline) when a probe finds that the API's host name does not resolve and the API has
   * not answered once since this object was made. Without it, every failure is waited out.
   */
  onHostNotFound?: (message: string) => void;
}

export class Connectivity {
  private onlineNow = true;
  private checking: Promise<boolean> | null = null;
  private waiters: (() => void)[] = [];
  private stopped = false;
  /** The API answered a probe at least once: from then on a name that does not resolve is an outage. */
  private answered = false;
  private readonly options: Required<Omit<ConnectivityOptions, 'onHostNotFound'>> &
    Pick<ConnectivityOptions, 'onHostNotFound'>;

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
    this.checking ??= this.probe()
      .then(
        () => true,
        (error: unknown) => {
          if (this.hostNotFound(error)) return false;
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

  /**
   * The host's own view of the network changed (the operating system's, or a resume from sleep). Offline is
   * believed at once, so nothing is attempted into a dead network; online is checked with one probe now, so the
   * queue does not wait out its backoff to notice the network's return.
   */
  hint(online: boolean): void {
    if (this.stopped) return;
    if (!online) {
      if (!this.onlineNow) return;
      this.setOnline(false);
      void this.probeUntilOnline();
      return;
    }
    if (this.onlineNow) return;
    this.probe().then(
      () => this.setOnline(true),
      () => undefined, // still unreachable: the background probing goes on
    );
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
        await this.probe();
        this.setOnline(true);
        return;
      } catch (error) {
        if (this.hostNotFound(error)) return;
        delay = Math.min(this.options.maxDelayMs, delay * 2);
      }
    }
  }

  private async probe(): Promise<void> {
    await this.options.probe();
    this.answered = true;
  }

  /** Reports a host name that never resolved (true), so no one waits for it; false for anything else. */
  private hostNotFound(error: unknown): boolean {
    const report = this.options.onHostNotFound;
    if (this.answered || !report) return false;
    const message = hostNotFoundMessage(error);
    if (message === undefined) return false;
    report(message);
    return true;
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

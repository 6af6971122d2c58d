/**
 * The access token's life cycle: log in lazily, share one login among concurrent callers, keep the token until
 * shortly before `expires_in` runs out, and drop it when the server refuses it. The login itself and the clock are
 * passed in, so the timing is unit-tested with a fake clock.
 */

/** What a successful login yields. */
export interface IssuedToken {
  token: string;
  /** Lifetime in seconds, as `expires_in` says. */
  expiresInSeconds: number;
}

interface TokenManagerOptions {
  /** Performs `POST /login`. */
  login: () => Promise<IssuedToken>;
  /** Milliseconds since the epoch (injected for tests). */
  now: () => number;
  /** Renew this many seconds before expiry; capped at a tenth of the lifetime so short tokens stay usable. */
  renewMarginSeconds: number;
}

export interface TokenManager {
  /** A valid token: the cached one, the login already in flight, or a new login. */
  get(): Promise<string>;
  /** Forgets `token` if it is still the current one (the server answered 401 to it). */
  invalidate(token: string): void;
  /** Number of logins performed (diagnostics and tests). */
  readonly logins: number;
}

/** Seconds before expiry at which a token with this lifetime is renewed. */
export function renewalMarginSeconds(expiresInSeconds: number, marginSeconds: number): number {
  return Math.min(marginSeconds, expiresInSeconds / 10);
}

/** Creates the token manager described above. */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  let current: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let logins = 0;

  const login = (): Promise<string> => {
    // Timing starts before the request, so network latency eats into the margin rather than past the expiry.
    const startedAt = options.now();
    logins += 1;
    const attempt = options.login().then((issued) => {
      const lifetime = Math.max(0, issued.expiresInSeconds);
      const margin = renewalMarginSeconds(lifetime, options.renewMarginSeconds);
      current = { token: issued.token, renewAt: startedAt + (lifetime - margin) * 1000 };
      return issued.token;
    });
    inFlight = attempt;
    // Whatever the outcome, the next caller after this one settles starts from a clean slate.
    void attempt.then(
      () => {
        if (inFlight === attempt) inFlight = undefined;
      },
      () => {
        if (inFlight === attempt) inFlight = undefined;
      },
    );
    return attempt;
  };

  return {
    get() {
      if (current && options.now() < current.renewAt) return Promise.resolve(current.token);
      if (inFlight) return inFlight;
      current = undefined;
      return login();
    },
    invalidate(token) {
      if (current?.token === token) current = undefined;
    },
    get logins() {
      return logins;
    },
  };
}

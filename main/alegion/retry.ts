/**
 * Retry policy of the client: which failures may be repeated, and how long to wait before the next attempt.
 * Pure functions, so the policy is unit-tested without a network.
 */

/** Tuning of the backoff; every field has a default in the client. */
interface BackoffOptions {
  /** First wait in ms (doubled on every further attempt). */
  baseMs: number;
  /** Upper bound of one wait in ms. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half of the exponential step is fixed, half random, so that many clients
 * failing together spread out instead of retrying in lockstep. `attempt` counts from 0 (the first retry).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `nowMs`; undefined when absent or
 * unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before retrying after a `429`: what `Retry-After` asks for, plus a little jitter on top (never less than
 * asked) so that clients released together do not collide again; the backoff when the header is absent.
 */
export function rateLimitDelay(
  retryAfterMs: number | undefined,
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  if (retryAfterMs === undefined) return backoffDelay(attempt, options, random);
  return retryAfterMs + Math.round(random() * Math.min(250, retryAfterMs / 10 + 50));
}

/** Network error codes that prove the request never reached the server (so even a creating POST may be repeated). */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'ENETDOWN',
]);

/** Timeout phases that end before a single byte of the request is written. */
const NOT_SENT_TIMEOUTS = new Set(['lookup', 'connect', 'secureConnect']);

/** What is known about a transport failure (no HTTP answer). */
export interface TransportFailure {
  /** Error code (`ECONNRESET`, `ETIMEDOUT`, ...). */
  code: string | undefined;
  /** For timeouts: the phase that timed out (`connect`, `response`, `socket`, ...). */
  timeoutEvent: string | undefined;
  /** Whether the whole request had been written to the socket before the failure (got's `timings.upload`). */
  requestWritten: boolean | undefined;
}

/**
 * True when the server may have received and acted on the request. Only then is a creating POST's outcome unknown.
 *
 * - Refused/unresolvable/unreachable connections and lookup/connect timeouts: the request was never sent.
 * - Otherwise, if the request body was not completely written, the server cannot have acted on it (it waits for the
 *   whole `Content-Length` body before parsing JSON).
 * - Once the request was fully written (or when that is unknown), a reset, hang-up or response timeout is ambiguous.
 */
export function mayHaveReachedServer(failure: TransportFailure): boolean {
  if (failure.code !== undefined && NOT_SENT_CODES.has(failure.code)) return false;
  if (failure.timeoutEvent !== undefined && NOT_SENT_TIMEOUTS.has(failure.timeoutEvent)) return false;
  if (failure.requestWritten === false) return false;
  return true;
}

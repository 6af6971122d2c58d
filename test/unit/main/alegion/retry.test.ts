import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  mayHaveReachedServer,
  parseRetryAfter,
  rateLimitDelay,
} from '../../../../main/alegion/retry.ts';

const options = { baseMs: 100, maxMs: 2_000 };

describe('backoffDelay', () => {
  it('doubles per attempt, keeping between half and all of the exponential step', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(50);
    expect(backoffDelay(0, options, () => 1)).toBe(100);
    expect(backoffDelay(3, options, () => 0)).toBe(400);
    expect(backoffDelay(3, options, () => 1)).toBe(800);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelay(30, options, () => 1)).toBe(2_000);
    expect(backoffDelay(30, options, () => 0)).toBe(1_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1_000);
    expect(parseRetryAfter(' 2.5 ', now)).toBe(2_500);
  });

  it('reads an HTTP date relative to now, a past date meaning now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('rateLimitDelay', () => {
  it('waits at least what Retry-After asks, with a bounded jitter on top', () => {
    expect(rateLimitDelay(1_000, 0, options, () => 0)).toBe(1_000);
    const most = rateLimitDelay(1_000, 0, options, () => 1);
    expect(most).toBeGreaterThan(1_000);
    expect(most).toBeLessThanOrEqual(1_250);
  });

  it('falls back to the exponential backoff without Retry-After', () => {
    expect(rateLimitDelay(undefined, 2, options, () => 1)).toBe(400);
  });
});

describe('mayHaveReachedServer', () => {
  it('is false when the connection never carried the request', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']) {
      expect(mayHaveReachedServer({ code, timeoutEvent: undefined, requestWritten: undefined })).toBe(false);
    }
    expect(
      mayHaveReachedServer({ code: 'ETIMEDOUT', timeoutEvent: 'connect', requestWritten: undefined }),
    ).toBe(false);
  });

  it('is false when the body was not completely written', () => {
    expect(mayHaveReachedServer({ code: 'ECONNRESET', timeoutEvent: undefined, requestWritten: false })).toBe(
      false,
    );
  });

  it('is true for a reset or response timeout after the request went out, or when unknown', () => {
    expect(mayHaveReachedServer({ code: 'ECONNRESET', timeoutEvent: undefined, requestWritten: true })).toBe(
      true,
    );
    expect(mayHaveReachedServer({ code: 'ETIMEDOUT', timeoutEvent: 'response', requestWritten: true })).toBe(
      true,
    );
    expect(
      mayHaveReachedServer({ code: 'ECONNRESET', timeoutEvent: undefined, requestWritten: undefined }),
    ).toBe(true);
  });
});

/**
 * How many items the queue keeps under way for its window of PUTs: as many more as an item's API calls take
 * longer than its PUT (small files on a slow link), about the window when the PUT is nearly all of an item's time
 * (large files), and never more than the API ceiling. Timed with real limiters and short real waits; the
 * ratios asserted leave room for a busy machine's late timers.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from '../../../../../main/uploads/queue/adaptive-concurrency.ts';
import { Limiter } from '../../../../../main/uploads/queue/limits.ts';
import { ProgressTracker } from '../../../../../main/uploads/queue/progress.ts';

const LOOKAHEAD = 4;

function concurrency(ceilings: { api: number; put: number }): {
  adaptive: AdaptiveConcurrency;
  api: Limiter;
  puts: Limiter;
} {
  const api = new Limiter(ceilings.api);
  const puts = new Limiter(ceilings.put);
  const adaptive = new AdaptiveConcurrency({
    api,
    puts,
    progress: new ProgressTracker(),
    ceilings,
    lookahead: LOOKAHEAD,
    initial: 8,
  });
  return { adaptive, api, puts };
}

/** One item's steps: `calls` API calls of `apiMs` each, then a PUT of `putMs`. */
async function item(api: Limiter, puts: Limiter, calls: number, apiMs: number, putMs: number): Promise<void> {
  for (let i = 0; i < calls; i++) await api.run(() => delay(apiMs));
  await puts.run(() => delay(putMs));
}

describe('the items kept under way', () => {
  it('are the window until PUTs have been timed', () => {
    const { adaptive, api } = concurrency({ api: 64, put: 32 });
    expect(adaptive.underWay).toBe(adaptive.window);
    expect(api.size).toBe(adaptive.window + LOOKAHEAD);
  });

  it('grow past the window when API calls take most of an item’s time, up to the API ceiling', async () => {
    const { adaptive, api, puts } = concurrency({ api: 64, put: 32 });
    // Three round trips of API calls for one of PUT: about four times the window must be under way.
    await Promise.all(Array.from({ length: 8 }, () => item(api, puts, 3, 40, 10)));
    adaptive.sample();
    const window = adaptive.window;
    expect(adaptive.underWay).toBeGreaterThan(window * 1.5);
    expect(adaptive.underWay).toBeLessThanOrEqual(64);
    expect(api.size).toBe(Math.min(64, adaptive.underWay + LOOKAHEAD));
    expect(puts.size).toBe(window);

    // The same again under a low API ceiling: the items under way stop at it.
    const low = concurrency({ api: 10, put: 32 });
    await Promise.all(Array.from({ length: 8 }, () => item(low.api, low.puts, 3, 40, 10)));
    low.adaptive.sample();
    expect(low.adaptive.underWay).toBe(Math.max(low.adaptive.window, 10));
  });

  it('are only the window while the server refuses requests (429, 503), and grow again once it takes them', async () => {
    const { adaptive, api, puts } = concurrency({ api: 64, put: 32 });
    await Promise.all(Array.from({ length: 8 }, () => item(api, puts, 3, 40, 10)));
    adaptive.sample();
    expect(adaptive.underWay).toBeGreaterThan(adaptive.window);
    adaptive.overloaded();
    expect(adaptive.window).toBe(4);
    expect(adaptive.underWay).toBe(4);
    expect(api.size).toBe(4 + LOOKAHEAD);
    // A sample in which the limit grows again (the refusals stopped) lets the ratio apply again.
    for (let i = 0; i < 3 && adaptive.underWay === adaptive.window; i++) {
      await Promise.all(Array.from({ length: 4 }, () => item(api, puts, 3, 40, 10)));
      adaptive.noteUnderWay(1000); // the queue had more work than room: the sample may grow the window
      adaptive.sample();
    }
    expect(adaptive.underWay).toBeGreaterThan(adaptive.window);
  });

  it('stay near the window when the PUT is nearly all of an item’s time', async () => {
    const { adaptive, api, puts } = concurrency({ api: 64, put: 32 });
    await Promise.all(Array.from({ length: 8 }, () => item(api, puts, 1, 2, 120)));
    adaptive.sample();
    expect(adaptive.underWay).toBeLessThanOrEqual(Math.ceil(adaptive.window * 1.3));
    expect(adaptive.underWay).toBeGreaterThanOrEqual(adaptive.window);
  });
});

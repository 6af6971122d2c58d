import { describe, expect, it } from 'vitest';
import { Limiter, TokenBucket } from '../../../../../main/uploads/queue/limits.ts';

describe('Limiter', () => {
  it('never runs more tasks than its limit, and a raised limit lets waiters in at once', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const task = () =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
      });
    const all = Array.from({ length: 6 }, task);
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(2);
    limiter.setLimit(4);
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(4);
    while (gates.length > 0) {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(all);
    expect(peak).toBe(4);
  });
});

describe('TokenBucket', () => {
  it('grants at once when unlimited and paces by the rate otherwise', async () => {
    let now = 0;
    const bucket = new TokenBucket(
      0,
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    await bucket.take(10_000_000);
    expect(now).toBe(0);
    bucket.setRate(1000 * 1024);
    await bucket.take(512 * 1024);
    // 512 KiB at 1000 KiB/s: about half a second of (fake) time.
    expect(now).toBeGreaterThanOrEqual(450);
    expect(now).toBeLessThanOrEqual(600);
    const start = now;
    bucket.setRate(100 * 1024);
    await bucket.take(100 * 1024);
    expect(now - start).toBeGreaterThanOrEqual(900);
    expect(now - start).toBeLessThanOrEqual(1100);
  });

  it('aborts a wait when its signal fires', async () => {
    const bucket = new TokenBucket(1, () => 0);
    const controller = new AbortController();
    const wait = bucket.take(1_000_000, controller.signal);
    controller.abort(new Error('paused'));
    await expect(wait).rejects.toThrow('paused');
  });
});

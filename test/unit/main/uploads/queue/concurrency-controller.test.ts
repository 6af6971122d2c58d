/**
 * The concurrency controller fed samples by hand: it doubles until requests queue, then grows by one, backs off
 * by a quarter when latency rises without a gain, halves on a 429/503 once per sample, keeps the limit when the
 * queue did not use it, and (property) never leaves 1..ceiling whatever it is fed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConcurrencyController } from '../../../../../main/uploads/queue/concurrency-controller.ts';
import type { ConcurrencySample } from '../../../../../main/uploads/queue/concurrency-controller.ts';

const full = (throughput: number, latencyMs = 40): ConcurrencySample => ({
  throughput,
  latencyMs,
  saturated: true,
});

describe('ConcurrencyController', () => {
  it('doubles until requests queue, then grows by one', () => {
    const controller = new ConcurrencyController({ ceiling: 64, initial: 4 });
    expect(controller.observe(full(100))).toEqual({ limit: 4, reason: 'hold' });
    expect(controller.observe(full(200))).toEqual({ limit: 8, reason: 'grow' });
    // A flat sample with latency as low as ever does not end the slow start: throughput is noisy.
    expect(controller.observe(full(205))).toEqual({ limit: 16, reason: 'probe' });
    expect(controller.observe(full(400)).limit).toBe(32);
    // Twice the lowest latency and no gain: the requests only queue.
    expect(controller.observe(full(410, 90))).toEqual({ limit: 24, reason: 'queueing' });
    expect(controller.observe(full(500))).toEqual({ limit: 25, reason: 'grow' });
    expect(controller.observe(full(505))).toEqual({ limit: 26, reason: 'probe' });
  });

  it('keeps growing while throughput rises, even as latency does', () => {
    const controller = new ConcurrencyController({ ceiling: 64, initial: 8 });
    controller.observe(full(100, 40));
    expect(controller.observe(full(200, 200))).toEqual({ limit: 16, reason: 'grow' });
  });

  it('backs off by a quarter when latency rises without a throughput gain', () => {
    const controller = new ConcurrencyController({ ceiling: 64, initial: 32 });
    controller.observe(full(1000, 40));
    expect(controller.observe(full(1000, 79)).limit).toBe(64);
    expect(controller.observe(full(1000, 120))).toEqual({ limit: 48, reason: 'queueing' });
  });

  it('halves on an overload, once until the next sample', () => {
    const controller = new ConcurrencyController({ ceiling: 64, initial: 40 });
    expect(controller.overloaded()).toEqual({ limit: 20, reason: 'overload' });
    expect(controller.overloaded().limit).toBe(20);
    expect(controller.observe(full(10))).toEqual({ limit: 20, reason: 'overload' });
    expect(controller.overloaded().limit).toBe(10);
  });

  it('keeps the limit while the queue does not fill it', () => {
    const controller = new ConcurrencyController({ ceiling: 64, initial: 8 });
    controller.observe(full(100));
    expect(controller.observe({ throughput: 1000, latencyMs: 40, saturated: false })).toEqual({
      limit: 8,
      reason: 'idle',
    });
  });

  it('never goes above a lowered ceiling', () => {
    const controller = new ConcurrencyController({ ceiling: 64, initial: 32 });
    expect(controller.setCeiling(5)).toBe(5);
    controller.observe(full(100));
    expect(controller.observe(full(1000)).limit).toBe(5);
  });

  it('stays within 1..ceiling and halves on every first overload after a sample, whatever it is fed', () => {
    const event = fc.oneof(
      fc.record({
        kind: fc.constant('sample' as const),
        throughput: fc.double({ min: 0, max: 1e9, noNaN: true }),
        latencyMs: fc.option(fc.double({ min: 0, max: 1e5, noNaN: true }), { nil: undefined }),
        saturated: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('overload' as const) }),
      fc.record({ kind: fc.constant('ceiling' as const), ceiling: fc.integer({ min: 1, max: 128 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 128 }),
        fc.integer({ min: -4, max: 200 }),
        fc.array(event, { maxLength: 60 }),
        (ceiling, initial, events) => {
          const controller = new ConcurrencyController({ ceiling, initial });
          let currentCeiling = ceiling;
          let sampledSinceOverload = true;
          for (const next of events) {
            const before = controller.limit;
            if (next.kind === 'sample') {
              controller.observe(next);
              sampledSinceOverload = true;
            } else if (next.kind === 'overload') {
              const after = controller.overloaded().limit;
              if (sampledSinceOverload) expect(after).toBe(Math.max(1, Math.floor(before / 2)));
              else expect(after).toBe(before);
              sampledSinceOverload = false;
            } else {
              currentCeiling = next.ceiling;
              controller.setCeiling(next.ceiling);
            }
            expect(controller.limit).toBeGreaterThanOrEqual(1);
            expect(controller.limit).toBeLessThanOrEqual(currentCeiling);
            expect(Number.isInteger(controller.limit)).toBe(true);
          }
        },
      ),
    );
  });
});

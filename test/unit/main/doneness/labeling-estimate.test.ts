import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LabelingEstimator,
  MAX_RATE_STEP,
  MIN_LABELED,
  MIN_SPAN_MS,
} from '../../../../main/doneness/labeling-estimate.ts';
import type { LabelingEstimate } from '../../../../main/doneness/labeling-estimate.ts';

type Ready = Extract<LabelingEstimate, { state: 'ready' }>;

describe('labeling estimate', () => {
  it('waits for enough labeled records and says how many more, then gives the finish at a steady rate', () => {
    const estimator = new LabelingEstimator();
    // 2 records a second, sampled every 2 s (as the monitor polls), 200 records in all.
    const seen: (LabelingEstimate | null)[] = [];
    for (let at = 0; at <= 60_000; at += 2_000) seen.push(estimator.observe(at, (at / 1000) * 2, 200));
    expect(seen[0]).toEqual({ state: 'waiting', recordsNeeded: MIN_LABELED });
    expect(seen[2]).toEqual({ state: 'waiting', recordsNeeded: MIN_LABELED - 8 });
    const firstReady = seen.findIndex((e) => e?.state === 'ready');
    // 10 labeled after 5 s, and the window spans 5 s at the sample of 6 s.
    expect(firstReady * 2_000).toBeGreaterThanOrEqual(MIN_SPAN_MS);
    const last = seen[seen.length - 1] as Ready;
    expect(last.perMinute).toBeCloseTo(120, 5);
    // At 60 s, 120 done and 80 left at 2/s: 40 s more, so done at 100 s.
    expect(last.secondsLeft).toBe(40);
    expect(last.finishAtMs).toBe(100_000);
  });

  it('waits for time as well as records when a burst lands at once', () => {
    const estimator = new LabelingEstimator();
    estimator.observe(0, 0, 100);
    expect(estimator.observe(1_000, 50, 100)).toEqual({ state: 'waiting', recordsNeeded: 0 });
  });

  it('gives nothing once every record is final', () => {
    const estimator = new LabelingEstimator();
    estimator.observe(0, 0, 10);
    expect(estimator.observe(10_000, 10, 10)).toBeNull();
  });

  it('never moves the rate by more than a quarter, nor the finish later by more than a quarter of the time left', () => {
    const step = fc.record({ dt: fc.integer({ min: 500, max: 30_000 }), labeled: fc.nat({ max: 60 }) });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 2, maxLength: 80 }),
        fc.integer({ min: 1, max: 5_000 }),
        (steps, extra) => {
          const total = steps.reduce((sum, s) => sum + s.labeled, 0) + extra;
          const estimator = new LabelingEstimator();
          let at = 0;
          let done = 0;
          let before: Ready | null = null;
          for (const s of steps) {
            at += s.dt;
            done += s.labeled;
            const estimate = estimator.observe(at, done, total);
            if (estimate?.state !== 'ready') continue;
            if (before) {
              const ratio = estimate.perMinute / before.perMinute;
              expect(ratio).toBeLessThanOrEqual(MAX_RATE_STEP + 1e-9);
              expect(ratio).toBeGreaterThanOrEqual(1 / MAX_RATE_STEP - 1e-9);
              const later = estimate.finishAtMs - before.finishAtMs;
              // Time passes (dt) and the rounding of a second on each side; beyond that, a quarter of what was left.
              expect(later).toBeLessThanOrEqual(
                s.dt + (MAX_RATE_STEP - 1) * before.secondsLeft * 1000 + 2_000,
              );
            }
            before = estimate;
          }
        },
      ),
    );
  });
});

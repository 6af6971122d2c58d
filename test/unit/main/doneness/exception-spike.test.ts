import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPIKE_RULE, ExceptionSpikeDetector } from '../../../../main/doneness/exception-spike.ts';

const HOUR = 60 * 60_000;

describe('exception spike', () => {
  it('alerts when a fifth of the latest records end in exception, with at least five of them', () => {
    const detector = new ExceptionSpikeDetector();
    expect(detector.observe('b', 0, 0, 0)).toBeNull();
    // 30 final, 4 wrong: a high share, but fewer than five.
    expect(detector.observe('b', 1_000, 30, 4)).toBeNull();
    // 40 final, 7 wrong: 17.5%, under the threshold.
    expect(detector.observe('b', 2_000, 40, 7)).toBeNull();
    // 50 final, 10 wrong: 20%.
    expect(detector.observe('b', 3_000, 50, 10)).toEqual({ batchId: 'b', exceptions: 10, of: 50 });
  });

  it('looks at the latest records only, so a clean start does not hide a later spike', () => {
    const detector = new ExceptionSpikeDetector();
    detector.observe('b', 0, 0, 0);
    // 500 clean records, then 60 of which 15 go wrong: 15 of 560 overall (3%), 15 of the latest ~60.
    for (let final = 50; final <= 500; final += 50) expect(detector.observe('b', final, final, 0)).toBeNull();
    expect(detector.observe('b', 600, 530, 6)).toBeNull();
    const spike = detector.observe('b', 700, 560, 15);
    expect(spike?.exceptions).toBe(15);
    expect(spike?.of).toBeLessThanOrEqual(DEFAULT_SPIKE_RULE.latest + 50);
  });

  it('counts nothing the batch held when first seen', () => {
    const detector = new ExceptionSpikeDetector();
    expect(detector.observe('b', 0, 1_000, 400)).toBeNull();
    expect(detector.observe('b', 1_000, 1_050, 402)).toBeNull();
  });

  it('alerts at most once an hour per batch, and each batch on its own', () => {
    const detector = new ExceptionSpikeDetector();
    detector.observe('a', 0, 0, 0);
    detector.observe('b', 0, 0, 0);
    expect(detector.observe('a', 1_000, 50, 25)).not.toBeNull();
    expect(detector.observe('a', 2_000, 100, 50)).toBeNull();
    expect(detector.observe('b', 2_000, 50, 25)).not.toBeNull();
    expect(detector.observe('a', 1_000 + HOUR - 1, 150, 75)).toBeNull();
    expect(detector.observe('a', 1_000 + HOUR, 200, 100)).not.toBeNull();
  });

  it('never alerts twice within the quiet hour, whatever the counts', () => {
    const step = fc.record({
      dt: fc.integer({ min: 1, max: 20 * 60_000 }),
      final: fc.nat(80),
      wrong: fc.nat(80),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const detector = new ExceptionSpikeDetector();
        let at = 0;
        let final = 0;
        let wrong = 0;
        const alerts: number[] = [];
        for (const s of steps) {
          at += s.dt;
          final += s.final;
          wrong = Math.min(final, wrong + Math.min(s.wrong, s.final));
          if (detector.observe('b', at, final, wrong)) alerts.push(at);
        }
        for (let i = 1; i < alerts.length; i++)
          expect((alerts[i] ?? 0) - (alerts[i - 1] ?? 0)).toBeGreaterThanOrEqual(HOUR);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { EtaEstimator, WARM_UP_MS } from '../../../../../main/uploads/queue/eta.ts';

/** Feeds the estimator a run at `rate` bytes/s sampled every 100 ms; returns the estimates with their times. */
function feed(eta: EtaEstimator, total: number, rate: (t: number) => number, untilMs: number) {
  const out: { at: number; eta: number | null; truth: number }[] = [];
  let done = 0;
  for (let at = 0; at <= untilMs && done < total; at += 100) {
    done = Math.min(total, done + rate(at) / 10);
    const estimate = eta.observe(at, done, total, true);
    // The true time left at this rate (the rate holds from here on in these runs).
    out.push({ at, eta: estimate, truth: (total - done) / rate(at) });
  }
  return out;
}

describe('time left', () => {
  it('gives nothing during the warm-up, then stays close to the truth at a steady rate', () => {
    const out = feed(new EtaEstimator(), 100e6, () => 1e6, 60_000);
    expect(out.filter((o) => o.at < WARM_UP_MS).every((o) => o.eta === null)).toBe(true);
    const later = out.filter((o) => o.at >= WARM_UP_MS + 1000);
    for (const o of later) expect(Math.abs((o.eta ?? 0) - o.truth)).toBeLessThanOrEqual(2);
  });

  it('does not swing with bursty progress (whole files finishing now and then)', () => {
    // 1 MB lands every second in one step: a short average would jump between tiny and huge estimates.
    const eta = new EtaEstimator();
    let done = 0;
    const estimates: number[] = [];
    for (let at = 0; at <= 40_000; at += 100) {
      if (at % 1000 === 0) done += 1e6;
      const e = eta.observe(at, done, 100e6, true);
      if (e !== null && at > 10_000) estimates.push(e);
    }
    const swing = Math.max(...estimates) / Math.min(...estimates);
    // Across 30 s the truth goes from ~90 s to ~60 s left: the estimates follow it without jumping about.
    expect(swing).toBeLessThan(1.8);
    for (let i = 1; i < estimates.length; i++)
      expect(Math.abs((estimates[i] ?? 0) - (estimates[i - 1] ?? 0))).toBeLessThanOrEqual(12);
  });

  it('starts again after a stop, so waiting never reads as slow sending', () => {
    const eta = new EtaEstimator();
    feed(eta, 100e6, () => 1e6, 10_000);
    expect(eta.observe(11_000, 10e6, 100e6, false)).toBeNull();
    // Back after a minute offline: no estimate until the warm-up passes, then one from the new stretch only.
    expect(eta.observe(71_000, 10e6, 100e6, true)).toBeNull();
    expect(eta.observe(71_000 + WARM_UP_MS, 10e6 + 4e6, 100e6, true)).toBe(Math.ceil(86e6 / 1e6));
  });

  it('says 0 when everything is sent while moving, and nothing when there is nothing to send', () => {
    expect(new EtaEstimator().observe(0, 10, 10, true)).toBe(0);
    expect(new EtaEstimator().observe(0, 10, 10, false)).toBeNull();
  });
});

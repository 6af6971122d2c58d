import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  rateFromPeriodNs,
  rateFromTimestamps,
} from '../../../../../../main/uploads/intake/video/frame-rate.ts';

/** The rates cameras and broadcast use, as the exact doubles the probe must return. */
const STANDARD = [24000 / 1001, 24, 25, 30000 / 1001, 30, 48, 50, 60000 / 1001, 60, 120];

/** Frame times of a constant rate in milliseconds, rounded as Matroska's default 1 ms ticks store them. */
const MS = { num: 1, den: 1000 };
const KHZ90 = { num: 1, den: 90_000 };

const msTimes = (fps: number, frames: number, startMs = 0): number[] =>
  Array.from({ length: frames }, (_, i) => Math.round(startMs + (i * 1000) / fps));

describe('rateFromPeriodNs (Matroska DefaultDuration)', () => {
  it.each(STANDARD)('gives %d exactly from its period rounded or truncated to whole nanoseconds', (fps) => {
    expect(rateFromPeriodNs(Math.round(1e9 / fps))).toBe(fps);
    expect(rateFromPeriodNs(Math.floor(1e9 / fps))).toBe(fps);
    expect(rateFromPeriodNs(Math.ceil(1e9 / fps))).toBe(fps);
  });

  it('keeps a period that is no standard rate as it is', () => {
    expect(rateFromPeriodNs(80_000_000)).toBe(12.5);
    expect(rateFromPeriodNs(16_000_000)).toBe(62.5);
    expect(rateFromPeriodNs(33_000_000)).toBe(1e9 / 33_000_000);
  });
});

describe('rateFromTimestamps', () => {
  it('finds the exact standard rate from millisecond timestamps in any order (B-frames)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STANDARD),
        fc.integer({ min: 300, max: 3000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer(),
        (fps, frames, start, seed) => {
          const times = msTimes(fps, frames, start);
          // A deterministic shuffle: presentation order is not decode order.
          const shuffled = times
            .map((t, i) => ({ t, k: Math.imul(i + 1, seed | 1) >>> 0 }))
            .sort((a, b) => a.k - b.k)
            .map(({ t }) => t);
          expect(rateFromTimestamps(shuffled, MS)).toEqual({ fps, variable: false });
        },
      ),
    );
  });

  it('takes the nominal rate when the frames sit on its grid', () => {
    expect(rateFromTimestamps(msTimes(60000 / 1001, 40), MS, { fps: 60000 / 1001 })).toEqual({
      fps: 60000 / 1001,
      variable: false,
    });
  });

  it('does not take a nominal rate the frames drift away from', () => {
    // Declared 30 fps, but 400 frames at 29.97 fps end 13 ms later than 30 fps would put them.
    expect(rateFromTimestamps(msTimes(30000 / 1001, 400), MS, { fps: 30 })).toEqual({
      fps: 30000 / 1001,
      variable: false,
    });
  });

  it('registers uneven frames as their average: (frames - 1) / (last - first)', () => {
    const times = [0, 33, 67, 100, 600, 633, 667];
    expect(rateFromTimestamps(times, MS, { fps: 30 })).toEqual({ fps: 6000 / 667, variable: true });
    // In a 90 kHz time base, a frame 2 ticks off the grid is uneven.
    expect(rateFromTimestamps([0, 3000, 6002, 9000], KHZ90)).toEqual({
      fps: (3 * 90_000) / 9000,
      variable: true,
    });
  });

  it('reads whole milliseconds in a finer time base as rounded: an MP4 stream-copied from Matroska is constant', () => {
    // 30 fps from Matroska's 1 ms timestamps, in the 1/16000 time base ffmpeg's MP4 muxer picks: 33, 33, 34 ms.
    // Shifted by 1067 ticks, as a negative first decode time leaves them.
    const times = msTimes(30, 1500).map((ms) => ms * 16 + 1067);
    expect(rateFromTimestamps(times, { num: 1, den: 16_000 }, { fps: 16_000 / 528 })).toEqual({
      fps: 30,
      variable: false,
    });
    // 40 frames at 60000/1001 in whole milliseconds fit 60 fps too, within a millisecond; the nearer rate is taken.
    const ntsc60 = msTimes(60000 / 1001, 40).map((ms) => ms * 16);
    expect(rateFromTimestamps(ntsc60, { num: 1, den: 16_000 })).toEqual({
      fps: 60000 / 1001,
      variable: false,
    });
    // 12 frames at 30 fps fit 30000/1001 too, and the muxer's own period (533 ticks, 30.02 fps) drifts too little to
    // show: the best-fitting standard rate is taken, not a period made from rounded milliseconds.
    const few = msTimes(30, 12).map((ms) => ms * 16);
    expect(rateFromTimestamps(few, { num: 1, den: 16_000 }, { fps: 16_000 / 533 })).toEqual({
      fps: 30,
      variable: false,
    });
    // The same frames 2 ms apart from that grid every tenth frame are uneven.
    const uneven = times.map((t, i) => (i % 10 === 5 ? t + 32 : t));
    expect(rateFromTimestamps(uneven, { num: 1, den: 16_000 }).variable).toBe(true);
  });

  it('keeps an even rate that is no standard one as the average', () => {
    expect(rateFromTimestamps(msTimes(12.5, 50), MS)).toEqual({ fps: 12.5, variable: false });
    expect(rateFromTimestamps([0, 6300, 12600, 18900], KHZ90)).toEqual({
      fps: (3 * 90_000) / 18900,
      variable: false,
    });
  });

  it('reads one frame by its nominal rate, and refuses it without one', () => {
    expect(rateFromTimestamps([5], MS, { fps: 25 })).toEqual({ fps: 25, variable: false });
    expect(() => rateFromTimestamps([5], MS)).toThrow(/frame rate cannot be read/);
    expect(() => rateFromTimestamps([5, 5, 5], MS)).toThrow(/same timestamp/);
  });
});

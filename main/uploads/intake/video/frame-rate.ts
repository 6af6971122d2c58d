/**
 * Frame rates from timestamps. A constant rate is kept as the exact rational the container stores, snapped to the
 * broadcast rates (24000/1001, 30000/1001, 60000/1001 ...) where the container can only store a rounded period. A
 * variable rate registers as the average over the span of the frames' timestamps:
 *
 *     fps = (frames − 1) / (last timestamp − first timestamp)        (timestamps sorted in presentation order)
 *
 * n frames have n − 1 intervals between them; this is the reciprocal of the mean interval. It needs no duration
 * for the last frame (Matroska stores none for most blocks), and for a constant rate it gives that rate exactly.
 */
import { CORRUPT, ProbeError } from './video-probe.ts';

/** A rate in frames per second as num / den. */
interface Rational {
  num: number;
  den: number;
}

/** How a rate was read: its value, and whether it is an average of uneven intervals. */
interface RateReading {
  fps: number;
  variable: boolean;
}

/** The rates broadcast and cameras use, as k / 1 and k·1000 / 1001, nearest to `fps`. */
function standardCandidates(fps: number): Rational[] {
  const whole = Math.round(fps);
  const ntsc = Math.round((fps * 1001) / 1000);
  const candidates: Rational[] = [];
  if (whole > 0) candidates.push({ num: whole, den: 1 });
  if (ntsc > 0) candidates.push({ num: ntsc * 1000, den: 1001 });
  return candidates;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** num / den in lowest terms. */
export function reduce(num: number, den: number): Rational {
  const divisor = gcd(num, den) || 1;
  return { num: num / divisor, den: den / divisor };
}

/**
 * The rate of a frame period stored in whole nanoseconds (Matroska's DefaultDuration): a standard rate whose period
 * rounds to within a nanosecond of it, else exactly 1e9 / period.
 */
export function rateFromPeriodNs(periodNs: number): number {
  for (const rate of standardCandidates(1e9 / periodNs)) {
    if (Math.abs((1e9 * rate.den) / rate.num - periodNs) <= 1) return rate.num / rate.den;
  }
  return 1e9 / periodNs;
}

/**
 * The rate of frames at `timestamps` (in ticks of `tick` seconds, any order). Frames that all sit on an even grid,
 * give or take their rounding, are a constant rate: `nominal` when the container gives one and the grid fits it,
 * else the standard rate that fits best, else the average. Anything else is variable, and registers as the average.
 */
export function rateFromTimestamps(
  timestamps: readonly number[],
  tick: { num: number; den: number },
  nominal?: { fps: number },
): RateReading {
  const n = timestamps.length;
  if (n < 2) {
    if (nominal) return { fps: nominal.fps, variable: false };
    throw new ProbeError(`${CORRUPT}: its frame rate cannot be read (a single frame and no nominal rate)`);
  }
  const sorted = Float64Array.from(timestamps).sort();
  const span = sorted[n - 1]! - sorted[0]!;
  if (!(span > 0)) {
    throw new ProbeError(`${CORRUPT}: its frame rate cannot be read (every frame has the same timestamp)`);
  }
  const tickSeconds = tick.num / tick.den;
  const rounding = roundingOf(sorted, tickSeconds);
  /** How far apart the frames' offsets from a grid of this period lie: 0 on the grid, up to `rounding` if rounded. */
  const spreadFrom = (periodTicks: number): number => {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < n; i++) {
      const offset = sorted[i]! - i * periodTicks;
      if (offset < low) low = offset;
      if (offset > high) high = offset;
    }
    return high - low;
  };
  // Timestamps rounded to the grain `rounding` lie within one grain of each other on their grid; half a grain more
  // for a muxer that adds up a period it stores rounded (Matroska's DefaultDuration in whole nanoseconds).
  const fits = (spread: number): boolean => spread <= 1.5 * rounding;
  const periodOf = (fps: number): number => 1 / (fps * tickSeconds);
  // Whole numbers multiplied before the one division: the average is the correctly rounded rational.
  const average = ((n - 1) * tick.den) / (span * tick.num);
  // Timestamps rounded to milliseconds before the container's finer time base make its durations inexact too.
  const nominalExact = rounding === 1;
  if (nominal && nominalExact && fits(spreadFrom(periodOf(nominal.fps)))) {
    return { fps: nominal.fps, variable: false };
  }
  // Over a few rounded frames, two rates may fit (60 and 60000/1001 over 40 frames): the closer fit wins.
  const best = standardCandidates(average)
    .map((rate) => ({ fps: rate.num / rate.den, spread: spreadFrom(periodOf(rate.num / rate.den)) }))
    .filter((candidate) => fits(candidate.spread))
    .sort((a, b) => a.spread - b.spread)[0];
  if (best) return { fps: best.fps, variable: false };
  return { fps: average, variable: !fits(spreadFrom(span / (n - 1))) };
}

/**
 * How far off an even grid rounding may have put a frame, in ticks: one tick, or one millisecond when the frames
 * are whole milliseconds apart in a finer time base. Matroska stores milliseconds, and an MP4 stream-copied from
 * one keeps them (30 fps as 33, 33 and 34 ms in a 1/16000 time base), which is no variable rate.
 */
function roundingOf(sorted: Float64Array, tickSeconds: number): number {
  const ticksPerMs = 0.001 / tickSeconds;
  if (!Number.isInteger(ticksPerMs) || ticksPerMs <= 1) return 1;
  // Relative to the first frame: an edit list or a negative first decode time shifts them all alike.
  for (const t of sorted) if ((t - sorted[0]!) % ticksPerMs !== 0) return 1;
  return ticksPerMs;
}

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
export interface Rational {
  num: number;
  den: number;
}

/** How a rate was read: its value, and whether it is an average of uneven intervals. */
export interface RateReading {
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
 * The rate of frames at `timestamps` (in ticks of `tick` seconds, any order). Frames that all sit within a tick of an
 * even grid are a constant rate: `nominal` when the container gives one and the grid fits it, else the standard rate
 * the grid fits, else the average. Anything else is variable, and registers as the average.
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
  const first = sorted[0]!;
  const span = sorted[n - 1]! - first;
  if (!(span > 0)) {
    throw new ProbeError(`${CORRUPT}: its frame rate cannot be read (every frame has the same timestamp)`);
  }
  const fitsGrid = (periodTicks: number): boolean => {
    if (Math.abs(span - (n - 1) * periodTicks) > 1) return false;
    for (let i = 0; i < n; i++) {
      if (Math.abs(sorted[i]! - first - i * periodTicks) > 1) return false;
    }
    return true;
  };
  const tickSeconds = tick.num / tick.den;
  // Whole numbers multiplied before the one division: the average is the correctly rounded rational.
  const average = ((n - 1) * tick.den) / (span * tick.num);
  if (nominal && fitsGrid(1 / (nominal.fps * tickSeconds))) return { fps: nominal.fps, variable: false };
  if (fitsGrid(span / (n - 1))) {
    for (const rate of standardCandidates(average)) {
      const fps = rate.num / rate.den;
      if (fitsGrid(1 / (fps * tickSeconds))) return { fps, variable: false };
    }
    return { fps: average, variable: false };
  }
  return { fps: average, variable: true };
}

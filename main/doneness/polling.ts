/**
 * Adaptive polling intervals of the doneness monitor: fast while work moves, slower and slower while a batch is
 * idle, and backing off further after errors. Pure, so the schedule is unit-tested.
 */

export interface PollingOptions {
  /** Interval right after a change (and the first poll's follow-up), in ms. */
  minMs: number;
  /** Slowest interval while nothing changes, in ms. */
  maxMs: number;
  /** Factor applied to the interval after each unchanged poll. */
  idleFactor: number;
  /** Slowest interval while polls fail, in ms. */
  maxErrorMs: number;
}

/** Defaults for the app and the CLI: 2 s while moving, up to 30 s idle, up to 2 min while failing. */
export const DEFAULT_POLLING: PollingOptions = {
  minMs: 2_000,
  maxMs: 30_000,
  idleFactor: 1.5,
  maxErrorMs: 120_000,
};

/** What happened at the last poll. */
export type PollOutcome = 'changed' | 'unchanged' | 'failed';

/** The next interval after a poll with `outcome`, given the current one. */
export function nextInterval(currentMs: number, outcome: PollOutcome, options: PollingOptions): number {
  switch (outcome) {
    case 'changed':
      return options.minMs;
    case 'unchanged':
      return Math.min(options.maxMs, Math.max(options.minMs, currentMs * options.idleFactor));
    case 'failed':
      return Math.min(options.maxErrorMs, Math.max(options.minMs, currentMs) * 2);
  }
}

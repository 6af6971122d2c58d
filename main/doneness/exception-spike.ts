/**
 * Spots a spike of exceptions in a batch: among the records that became final most recently (the latest
 * `latest` of them, from the batch's counts over time), the share that ended in exception or canceled reaches
 * `share`, with at least `minimum` of them. At most one alert per batch per `quietMs`, each batch on its own.
 * What a batch held when first seen is its past, never a spike: only records final since then count.
 */

interface SpikeRule {
  /** How many of the latest final records are looked at. */
  latest: number;
  /** The share (0–1) of exceptions among them that raises an alert. */
  share: number;
  /** Fewer exceptions than this never alert (a batch's first few records say little). */
  minimum: number;
  /** No second alert for a batch within this long. */
  quietMs: number;
}

/** 20% of the latest 50 final records, at least 5 of them, at most once an hour per batch. */
export const DEFAULT_SPIKE_RULE: SpikeRule = { latest: 50, share: 0.2, minimum: 5, quietMs: 60 * 60_000 };

export interface ExceptionSpike {
  batchId: string;
  /** Exceptions (and canceled) among the `of` latest final records. */
  exceptions: number;
  of: number;
}

interface Point {
  final: number;
  wrong: number;
}

interface BatchHistory {
  points: Point[];
  alertedAt: number | null;
}

export class ExceptionSpikeDetector {
  private readonly batches = new Map<string, BatchHistory>();
  private readonly rule: SpikeRule;

  constructor(rule: SpikeRule = DEFAULT_SPIKE_RULE) {
    this.rule = rule;
  }

  /**
   * Takes a batch's counts at `at` (ms): its records final so far and how many of those ended in exception or
   * canceled. Returns the spike when this observation raises an alert.
   */
  observe(batchId: string, at: number, final: number, wrong: number): ExceptionSpike | null {
    let history = this.batches.get(batchId);
    if (!history) {
      history = { points: [], alertedAt: null };
      this.batches.set(batchId, history);
    }
    const points = history.points;
    points.push({ final, wrong });
    // The newest point at least `latest` records back is the base; older ones are no longer needed.
    while (points.length > 2 && final - (points[1]?.final ?? final) >= this.rule.latest) points.shift();
    const base = points[0];
    if (!base) return null;
    const of = final - base.final;
    const exceptions = wrong - base.wrong;
    if (of <= 0 || exceptions < this.rule.minimum || exceptions / of < this.rule.share) return null;
    if (history.alertedAt !== null && at - history.alertedAt < this.rule.quietMs) return null;
    history.alertedAt = at;
    return { batchId, exceptions, of };
  }

  /** Forgets every batch (a new connection). */
  clear(): void {
    this.batches.clear();
  }
}

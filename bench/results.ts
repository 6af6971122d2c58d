/**
 * The shape of a bench run's results (what bench/results/latest.json holds), and the helpers that turn one
 * measured process into a contender result.
 */
import type { Measurement } from './measure.ts';

/** The scenarios of the bench (W runs only when selected with `--only`). */
export type ScenarioId = 'S' | 'L' | 'E' | 'Q' | 'P' | 'W';
/**
 * Who is measured: the tutorial's curl, curl with xargs -P, our CLI, the protocol floor, `find` (scenario Q), or
 * `ffprobe` (scenario P).
 */
export type ContenderId = 'seq-curl' | 'par-curl' | 'engine' | 'floor' | 'find' | 'ffprobe';

/** One contender's run in one scenario. */
export interface ContenderResult {
  contender: ContenderId;
  /** What this run worked on, where a scenario runs a contender more than once (e.g. `mkv`, `mp4`). */
  subject?: string;
  status: 'ok' | 'failed' | 'skipped';
  /** Why a contender was skipped or failed, or how it was run when that matters for reading the figures. */
  note?: string;
  wallSeconds: number | null;
  userSeconds: number | null;
  systemSeconds: number | null;
  peakRssMiB: number | null;
  rssMethod: Measurement['rssMethod'] | null;
  bytes: number;
  files: number;
  mibPerSecond: number | null;
  filesPerSecond: number | null;
  /** CPU seconds the sandbox process spent during this run (it runs as its own process). */
  sandboxCpuSeconds: number | null;
  /** What was checked after the run (e.g. "2000 records in the batch"). */
  verified?: string;
  /** Requests the sandbox saw during the run: all of them (API and storage), and the API calls by route. */
  sandboxRequests?: { total: number; byRoute: Record<string, number> } | undefined;
  /** Seconds spent in named phases, read from the contender's own timed output (e.g. `download`). */
  phases?: Record<string, number>;
}

/** One of the targets, with the measured value. */
export interface TargetResult {
  scenario: ScenarioId;
  description: string;
  measured: number | null;
  /** `measured >= threshold` or `measured <= threshold`. */
  comparison: Comparison;
  threshold: number;
  pass: boolean | null;
}

/** One scenario: its workload, every contender and the ratios between them. */
export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  workload: string;
  contenders: ContenderResult[];
  /** Named ratios, e.g. "engine speed-up over seq-curl". */
  ratios: Record<string, number | null>;
  targets: TargetResult[];
  notes: string[];
}

/** The whole run. */
export interface BenchResults {
  date: string;
  quick: boolean;
  machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    platform: string;
    /** 1-minute load average at the start and the end of the run (other work on the machine shows here). */
    loadAverage: { start: number; end: number };
  };
  rssMethod: string;
  notes: string[];
  scenarios: ScenarioResult[];
}

/** A contender that could not run, with the reason. */
export function skipped(contender: ContenderId, note: string): ContenderResult {
  return {
    contender,
    status: 'skipped',
    note,
    wallSeconds: null,
    userSeconds: null,
    systemSeconds: null,
    peakRssMiB: null,
    rssMethod: null,
    bytes: 0,
    files: 0,
    mibPerSecond: null,
    filesPerSecond: null,
    sandboxCpuSeconds: null,
  };
}

/** A contender result from a measurement and the work it moved. */
export function fromMeasurement(
  contender: ContenderId,
  measurement: Measurement,
  work: { bytes: number; files: number; sandboxCpuSeconds: number | null },
): ContenderResult {
  const wall = measurement.wallSeconds;
  return {
    contender,
    status: measurement.exitCode === 0 ? 'ok' : 'failed',
    wallSeconds: wall,
    userSeconds: measurement.userSeconds,
    systemSeconds: measurement.systemSeconds,
    peakRssMiB: measurement.peakRssMiB,
    rssMethod: measurement.rssMethod,
    bytes: work.bytes,
    files: work.files,
    mibPerSecond: work.bytes > 0 && wall > 0 ? work.bytes / 1024 / 1024 / wall : null,
    filesPerSecond: work.files > 0 && wall > 0 ? work.files / wall : null,
    sandboxCpuSeconds: work.sandboxCpuSeconds,
  };
}

/** `a / b` when both are known and b is not zero. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

/** How a measured value is held to its threshold ("faster than" is strictly less). */
type Comparison = '>=' | '<=' | '<';
const COMPARE: Record<Comparison, (measured: number, threshold: number) => boolean> = {
  '>=': (measured, threshold) => measured >= threshold,
  '<=': (measured, threshold) => measured <= threshold,
  '<': (measured, threshold) => measured < threshold,
};

/** CPU seconds (user and system) of a contender that ran, or null. */
export function cpuSeconds(result: ContenderResult | undefined): number | null {
  if (!result || result.userSeconds === null || result.systemSeconds === null) return null;
  return result.userSeconds + result.systemSeconds;
}

/** A target whose pass state follows from the measured value. */
export function target(
  scenario: ScenarioId,
  description: string,
  measured: number | null,
  comparison: Comparison,
  threshold: number,
): TargetResult {
  const pass = measured === null ? null : COMPARE[comparison](measured, threshold);
  return { scenario, description, measured, comparison, threshold, pass };
}

/** Sets the bytes moved after the fact (known only once the run wrote them) and the throughput that follows. */
export function withBytes(result: ContenderResult, bytes: number): ContenderResult {
  result.bytes = bytes;
  result.mibPerSecond = bytes > 0 && result.wallSeconds ? bytes / 1024 / 1024 / result.wallSeconds : null;
  return result;
}

/** The contender's result in a scenario, if it ran successfully. */
export function okResult(
  results: readonly ContenderResult[],
  contender: ContenderId,
): ContenderResult | undefined {
  return results.find((result) => result.contender === contender && result.status === 'ok');
}

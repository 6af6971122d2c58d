/**
 * Progress of a download as text for people (the CLI's lines and bar): sizes, durations, and the one-line summary
 * with throughput and time left. A finished transfer is summed up with its real average throughput, and a time
 * left is shown only while it means something.
 */

import { formatBytes } from '../../common/byte-size.ts';

/** Human-readable duration: 1h02m, 3m05s, 7s. */
export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** One progress reading to show. */
export interface ProgressReading {
  bytes: number;
  totalBytes: number | undefined;
  /** Current speed while running, the average over the whole transfer once done; undefined or 0 when unknown. */
  bytesPerSecond: number | undefined;
  etaSeconds: number | undefined;
  /** The transfer is complete: no time left to show. */
  done: boolean;
}

/** Whole percent of `bytes` out of `total` (100 when the total is unknown or zero). */
function percentOf(bytes: number, total: number | undefined): number {
  if (total === undefined || total <= 0) return 100;
  return Math.min(100, Math.floor((bytes * 100) / total));
}

/** `, 1.2 MB/s` (or `, 1.2 MB/s average` when done); empty when the speed is unknown. */
export function speedText(reading: Pick<ProgressReading, 'bytesPerSecond' | 'done'>): string {
  const rate = reading.bytesPerSecond;
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) return '';
  return `, ${formatBytes(rate)}/s${reading.done ? ' average' : ''}`;
}

/** `, ETA 7s` while running with a known estimate; empty when done or unknown. */
export function etaText(reading: Pick<ProgressReading, 'etaSeconds' | 'done'>): string {
  const eta = reading.etaSeconds;
  if (reading.done || eta === undefined || !Number.isFinite(eta)) return '';
  return `, ETA ${formatSeconds(eta)}`;
}

/** `downloaded 1.5 MB of 3.0 MB (50%), 1.2 MB/s, ETA 2s`; the final line has the average and no ETA. */
export function formatProgressLine(reading: ProgressReading): string {
  const total = reading.totalBytes ?? reading.bytes;
  const percent = reading.done ? 100 : percentOf(reading.bytes, total);
  return `downloaded ${formatBytes(reading.bytes)} of ${formatBytes(total)} (${percent}%)${speedText(reading)}${etaText(reading)}`;
}

/**
 * The average throughput of one run of a transfer: bytes actually received (a restart from zero does not count
 * negative, resumed bytes already on disk do not count at all) over the time since the transfer started.
 */
export class TransferAverage {
  #startedAt: number | undefined;
  #lastBytes = 0;
  #received = 0;

  /** The transfer starts at time `at` (ms) with `fromBytes` already on disk. */
  start(at: number, fromBytes: number): void {
    this.#startedAt = at;
    this.#lastBytes = fromBytes;
    this.#received = 0;
  }

  /** The running total was `bytes` at time `at`; the first observation starts the clock if `start` was not called. */
  observe(at: number, bytes: number): void {
    if (this.#startedAt === undefined) {
      this.start(at, bytes);
      return;
    }
    if (bytes > this.#lastBytes) this.#received += bytes - this.#lastBytes;
    this.#lastBytes = bytes;
  }

  /** Bytes received since the start. */
  received(): number {
    return this.#received;
  }

  /** Average bytes per second from the start until `at`; undefined when no time has passed. */
  bytesPerSecond(at: number): number | undefined {
    if (this.#startedAt === undefined || at <= this.#startedAt) return undefined;
    return (this.#received * 1000) / (at - this.#startedAt);
  }
}

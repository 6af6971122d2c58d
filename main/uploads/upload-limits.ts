/**
 * The service's transfer limits: concurrent API calls, concurrent PUTs and bandwidth, changeable while running.
 */
import { Limiter, TokenBucket } from './queue/limits.ts';

/** Limits changeable while running. `bandwidthMBps` is in MB/s (10^6 bytes); 0 means unlimited. */
export interface UploadLimits {
  concurrency: number;
  putConcurrency: number;
  bandwidthMBps: number;
}

/**
 * Defaults chosen by measurement against the sandbox (120 files of 256 KiB, 50-150 ms added latency): 4 to 6
 * concurrent PUTs gave the best throughput and more made it worse (CPU and socket contention); API calls are short,
 * so 8 of them keep registering, closing and records flowing around the transfers. See the README.
 */
export const DEFAULT_LIMITS: UploadLimits = { concurrency: 8, putConcurrency: 4, bandwidthMBps: 0 };

/** The limiters the steps share, kept equal to the limits set. */
export class TransferLimits {
  /** Concurrent API calls. */
  readonly api: Limiter;
  /** Concurrent PUTs to storage. */
  readonly puts: Limiter;
  readonly bucket: TokenBucket;
  private limits: UploadLimits;

  constructor(initial: Partial<UploadLimits> | undefined) {
    this.limits = { ...DEFAULT_LIMITS, ...initial };
    this.api = new Limiter(this.limits.concurrency);
    this.puts = new Limiter(this.limits.putConcurrency);
    this.bucket = new TokenBucket(this.limits.bandwidthMBps * 1e6);
  }

  /** Applies a change to the limiters at once; returns the limits now in force. */
  set(patch: Partial<UploadLimits>): UploadLimits {
    this.limits = { ...this.limits, ...patch };
    this.api.setLimit(this.limits.concurrency);
    this.puts.setLimit(this.limits.putConcurrency);
    this.bucket.setRate(this.limits.bandwidthMBps * 1e6);
    return this.get();
  }

  get(): UploadLimits {
    return { ...this.limits };
  }
}

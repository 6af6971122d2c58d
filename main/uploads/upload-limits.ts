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
 * The limits are ceilings: the queue adapts how many requests are in flight to the link under them (see
 * queue/adaptive-concurrency.ts). The defaults are high, so that a slow link full of small files is filled
 * (dozens of files in flight) without the user touching a setting; a fast local link stays lower by itself.
 */
export const DEFAULT_LIMITS: UploadLimits = { concurrency: 64, putConcurrency: 32, bandwidthMBps: 0 };

/**
 * The limiters the steps share. They start at the limits set; from then on the runner's adaptive concurrency sizes
 * the API and PUT limiters under them (the runner is told of a change), and the bandwidth follows the limit here.
 */
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

  /** Applies a change of the bandwidth at once (the concurrency is the runner's); returns the limits now in force. */
  set(patch: Partial<UploadLimits>): UploadLimits {
    this.limits = { ...this.limits, ...patch };
    this.bucket.setRate(this.limits.bandwidthMBps * 1e6);
    return this.get();
  }

  get(): UploadLimits {
    return { ...this.limits };
  }
}

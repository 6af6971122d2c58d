/**
 * The body of a PUT: the file streamed from disk through one transform that computes the MD5 on the way (for the
 * end-to-end check against the storage ETag), counts bytes, and waits on the bandwidth bucket. Nothing is buffered
 * beyond the stream's own high-water mark.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import type { TokenBucket } from './limits.ts';

/** Bytes read from disk per chunk under a bandwidth limit: small enough that the limit stays smooth. */
const THROTTLED_READ_CHUNK = 64 * 1024;
/** Bytes read per chunk when unlimited: large reads cut read calls and garbage (1 GiB: 1.6 to 1.0 CPU-s). */
const UNLIMITED_READ_CHUNK = 1024 * 1024;

/** A transform that hashes, counts and throttles what passes through. */
export class MeteredHash extends Transform {
  private readonly hash: Hash = createHash('md5');
  private readonly bucket: TokenBucket | undefined;
  private readonly signal: AbortSignal | undefined;
  bytes = 0;

  constructor(bucket?: TokenBucket, signal?: AbortSignal) {
    super();
    this.bucket = bucket;
    this.signal = signal;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.bucket || this.bucket.bytesPerSecond === 0) {
      callback(null, chunk);
      return;
    }
    this.bucket.take(chunk.length, this.signal).then(
      () => callback(null, chunk),
      (error: unknown) => callback(error as Error),
    );
  }

  /** Hex MD5 of everything that passed (call once the stream ended). */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A read stream of the file piped through a MeteredHash; returns both ends. */
export function openTransfer(
  path: string,
  bucket?: TokenBucket,
  signal?: AbortSignal,
): { body: Readable; meter: MeteredHash } {
  const limited = bucket !== undefined && bucket.bytesPerSecond > 0;
  const source = createReadStream(path, {
    highWaterMark: limited ? THROTTLED_READ_CHUNK : UNLIMITED_READ_CHUNK,
  });
  const meter = new MeteredHash(bucket, signal);
  source.on('error', (error) => meter.destroy(error));
  meter.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(meter);
  return { body: meter, meter };
}

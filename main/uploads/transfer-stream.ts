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

/** Bytes read from disk per chunk; small enough that the bandwidth limit stays smooth. */
const READ_CHUNK = 64 * 1024;

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
  const source = createReadStream(path, { highWaterMark: READ_CHUNK });
  const meter = new MeteredHash(bucket, signal);
  source.on('error', (error) => meter.destroy(error));
  meter.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(meter);
  return { body: meter, meter };
}

/** MD5 of a whole file, streamed (intake computes it so `tenantReference` can carry it). */
export async function md5OfFile(path: string, signal?: AbortSignal): Promise<{ md5: string; bytes: number }> {
  const hash = createHash('md5');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK * 4, signal })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { md5: hash.digest('hex'), bytes };
}

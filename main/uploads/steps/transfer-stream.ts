/**
 * The body of a PUT: the file streamed from disk with its MD5 computed on the way (for the end-to-end check against
 * the storage ETag), bytes counted, and the bandwidth bucket waited on. A large file is read and hashed in the
 * hashing worker, so the main thread only hands chunks to the socket; a small one (or a build without the worker)
 * is hashed here. Nothing is buffered beyond the streams' own high-water marks.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { Md5WorkerJob, md5WorkerAvailable } from '../../hashing/md5-worker.ts';
import type { TokenBucket } from '../queue/limits.ts';

/** Bytes read from disk per chunk under a bandwidth limit: small enough that the limit stays smooth. */
const THROTTLED_READ_CHUNK = 64 * 1024;
/** Bytes read per chunk when unlimited: large reads cut read calls and garbage (1 GiB: 1.6 to 1.0 CPU-s). */
const UNLIMITED_READ_CHUNK = 1024 * 1024;
/** Files from this size on are read and hashed in the worker; below it the round trips cost more than they save. */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;
/** Reads asked of the worker ahead of the socket: one is read and hashed while the previous one is sent. */
const READS_AHEAD = 2;
/** Chunk buffers kept for reuse: those read ahead plus those the socket may still be sending. */
const SPARE_BUFFERS = 6;

/** What went through a transfer: its byte count and hex MD5 (known once the body has ended). */
interface TransferResult {
  bytes: number;
  md5: string;
}

/** A PUT body and, once it has been sent, what it contained. */
interface Transfer {
  body: Readable;
  result(): Promise<TransferResult>;
  /** To be called with each chunk of the body once the socket has sent it: its buffer may then be reused. */
  release?: (chunk: Buffer) => void;
}

/** A transform that counts and throttles what passes through, and hashes it when asked to. */
class MeteredHash extends Transform {
  private readonly hash: Hash | undefined;
  private readonly bucket: TokenBucket | undefined;
  private readonly signal: AbortSignal | undefined;
  bytes = 0;

  constructor(bucket?: TokenBucket, signal?: AbortSignal, hash = true) {
    super();
    this.bucket = bucket;
    this.signal = signal;
    this.hash = hash ? createHash('md5') : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash?.update(chunk);
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
    if (!this.hash) throw new Error('this meter does not hash');
    return this.hash.digest('hex');
  }
}

/**
 * A file read, and hashed, in the worker. Each chunk is read into a buffer handed to the worker and back, never
 * copied; once the socket has sent a chunk, `release(chunk)` lets its buffer be read into again, so a transfer of
 * any size keeps a few buffers instead of leaving a megabyte of garbage per chunk (garbage collection and memory).
 * Reads stop while the consumer pushes back; the hash covers exactly the bytes read, in file order.
 */
export class WorkerHashedFile extends Readable {
  private readonly path: string;
  private readonly chunkBytes: number;
  private readonly job = new Md5WorkerJob();
  private readonly spare: ArrayBuffer[] = [];
  private handle: FileHandle | undefined;
  private position = 0;
  private inFlight = 0;
  private wanted = false;
  private ended = false;
  /** Bytes read after the end was seen: the file grew while it was read (it then fails the size check). */
  private lateBytes = 0;
  private lastRead: Promise<unknown> = Promise.resolve();
  private digest: Promise<string> | undefined;
  bytes = 0;

  constructor(path: string, chunkBytes: number) {
    super({ highWaterMark: chunkBytes * READS_AHEAD });
    this.path = path;
    this.chunkBytes = chunkBytes;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, 'r').then(
      (handle) => {
        this.handle = handle;
        callback();
      },
      (error: unknown) => callback(error as Error),
    );
  }

  override _read(): void {
    this.wanted = true;
    this.pump();
  }

  /**
   * Gives back the buffer of a chunk this stream produced, once nothing reads it any more (the socket has sent
   * it). Handing it to the worker detaches it, so a stale view of it would read nothing, never other bytes.
   */
  release(chunk: Buffer): void {
    const buffer = chunk.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength !== this.chunkBytes) return;
    if (this.spare.length < SPARE_BUFFERS && !this.spare.includes(buffer)) this.spare.push(buffer);
  }

  private pump(): void {
    const handle = this.handle;
    while (handle && this.wanted && !this.ended && !this.destroyed && this.inFlight < READS_AHEAD) {
      const read = this.job.read(handle.fd, this.position, this.chunkBytes, this.spare.pop());
      this.position += this.chunkBytes;
      this.inFlight += 1;
      this.lastRead = read.catch(() => undefined);
      read.then(
        ({ buffer, bytes }) => this.arrived(Buffer.from(buffer, 0, bytes)),
        (error: unknown) => this.destroy(error as Error),
      );
    }
  }

  private arrived(chunk: Buffer): void {
    this.inFlight -= 1;
    if (this.destroyed) return;
    if (this.ended) {
      this.lateBytes += chunk.length;
      return;
    }
    if (chunk.length > 0) {
      this.bytes += chunk.length;
      if (!this.push(chunk)) this.wanted = false;
    } else {
      this.release(chunk);
    }
    if (chunk.length < this.chunkBytes) {
      this.ended = true;
      // Asked now, so the worker answers it after every read already sent (the hash is then complete).
      this.digest = this.job.digest();
      this.digest.catch(() => undefined);
      this.push(null);
      return;
    }
    this.pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.wanted = false;
    // The worker may still be reading this descriptor: close it only once that read is done.
    void this.lastRead.then(async () => {
      this.job.close();
      await this.handle?.close().catch(() => undefined);
      callback(error);
    });
  }

  /** Bytes read and their MD5; the file must have been read to its end. */
  async result(): Promise<TransferResult> {
    if (!this.digest) throw new Error('the file was not read to its end');
    const md5 = await this.digest;
    return { bytes: this.bytes + this.lateBytes, md5 };
  }
}

/** Opens the file as a PUT body: `size` (the size queued) picks where it is hashed. */
export function openTransfer(
  path: string,
  size: number,
  bucket?: TokenBucket,
  signal?: AbortSignal,
): Transfer {
  const limited = bucket !== undefined && bucket.bytesPerSecond > 0;
  const chunkBytes = limited ? THROTTLED_READ_CHUNK : UNLIMITED_READ_CHUNK;
  if (size >= WORKER_MIN_BYTES && md5WorkerAvailable()) {
    const source = new WorkerHashedFile(path, chunkBytes);
    const result = (): Promise<TransferResult> => source.result();
    const release = (chunk: Buffer): void => source.release(chunk);
    if (!bucket) return { body: source, result, release };
    // The limit may be set while the file is sent: the bucket is waited on for every chunk (passed on as it is).
    const meter = new MeteredHash(bucket, signal, false);
    link(source, meter);
    return { body: meter, result, release };
  }
  const source = createReadStream(path, { highWaterMark: chunkBytes });
  const meter = new MeteredHash(bucket, signal);
  link(source, meter);
  return { body: meter, result: () => Promise.resolve({ bytes: meter.bytes, md5: meter.digest() }) };
}

/** Pipes a file source into the meter; a read error fails the meter, and closing the meter closes the file. */
function link(source: Readable, meter: MeteredHash): void {
  source.on('error', (error) => meter.destroy(error));
  meter.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(meter);
}

/**
 * Writes of a download to its `.part` file, each followed by the MD5 of the same bytes, in the order they are
 * handed over (several may be pending). With the
 * hashing worker, writing and hashing both run there, so the main thread goes on reading the socket meanwhile;
 * without it (a build lacking the worker) they run here, the write on the thread pool.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Md5WorkerJob, md5WorkerAvailable } from './md5-worker.ts';

/** The running MD5 of a file being written in order. */
export interface HashedWrites {
  /** Writes the chunks (`size` bytes in all) at `position`, then hashes them. */
  write(position: number, chunks: Buffer[], size: number): Promise<void>;
  /** Hashes the first `bytes` of the file at `path` (what an earlier run left), before any write. */
  hashExisting(path: string, bytes: number): Promise<void>;
  /** The hex MD5 so far; the writer is then spent (only `close()` may follow). */
  digest(): Promise<string>;
  close(): void;
}

/**
 * Hashed writes to `file`, starting from an empty hash: in the worker when this process can use it. Open a new one
 * to start over (after a truncate, or a failed write): it picks the main thread if the worker has failed.
 */
export function openHashedWrites(file: FileHandle): HashedWrites {
  return md5WorkerAvailable() ? new WorkerHashedWrites(file) : new LocalHashedWrites(file);
}

/** Batch buffers kept for reuse: one being written while the next fills, and a spare. */
const SPARE_BUFFERS = 3;
/** Batch buffers are at least this large, so a batch slightly over the downloader's 1 MiB still fits. */
const MIN_BATCH_BUFFER = 2 * 1024 * 1024;

class WorkerHashedWrites implements HashedWrites {
  private readonly file: FileHandle;
  private readonly job = new Md5WorkerJob();
  /** Buffers back from the worker: each batch is copied into one, so no batch leaves garbage behind. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(file: FileHandle) {
    this.file = file;
  }

  async write(position: number, chunks: Buffer[], size: number): Promise<void> {
    const index = this.spare.findIndex((buffer) => buffer.byteLength >= size);
    const reused = index >= 0 ? this.spare.splice(index, 1)[0] : undefined;
    const buffer = reused ?? new ArrayBuffer(Math.max(size, MIN_BATCH_BUFFER));
    const view = new Uint8Array(buffer);
    let offset = 0;
    for (const chunk of chunks) {
      view.set(chunk, offset);
      offset += chunk.length;
    }
    const back = await this.job.write(this.file.fd, position, buffer, size);
    if (this.spare.length < SPARE_BUFFERS) this.spare.push(back);
  }

  hashExisting(path: string, bytes: number): Promise<void> {
    return bytes === 0 ? Promise.resolve() : this.job.hashFile(path, bytes);
  }

  digest(): Promise<string> {
    return this.job.digest();
  }

  close(): void {
    this.job.close();
  }
}

class LocalHashedWrites implements HashedWrites {
  private readonly file: FileHandle;
  private readonly hash: Hash = createHash('md5');
  /** Writes run one after the other, so the hash sees the bytes in file order; after a failure none runs. */
  private queue: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(file: FileHandle) {
    this.file = file;
  }

  write(position: number, chunks: Buffer[]): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.failed) throw new Error('an earlier write of this file failed');
      try {
        await this.file.writev(chunks, position);
      } catch (error) {
        this.failed = true;
        throw error;
      }
      for (const chunk of chunks) this.hash.update(chunk);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async hashExisting(path: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 }))
      this.hash.update(chunk as Buffer);
  }

  digest(): Promise<string> {
    return Promise.resolve(this.hash.copy().digest('hex'));
  }

  close(): void {}
}

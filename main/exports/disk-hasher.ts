/**
 * The MD5 of a `.part` file, computed from what is on disk while the download goes on: each batch is read back
 * (from the page cache) and hashed in the hashing worker (main/hashing) once it is written, beside the socket reads
 * instead of between them. A prefix left by an earlier run is covered the same way. Where the worker is not
 * available, the same reads are hashed on the main thread.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { Md5WorkerJob, md5WorkerAvailable } from '../hashing/md5-worker.ts';

/** Bytes read back and hashed per request. */
const READ_BYTES = 4 * 1024 * 1024;
const readAt = promisify(read);

export class DiskHasher {
  readonly #fd: number;
  readonly #job: Md5WorkerJob | undefined;
  readonly #hash: Hash | undefined;
  #buffer: ArrayBuffer | undefined;
  #hashed = 0;
  #target = 0;
  #chain: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;

  /** `fd`: the open `.part` file (it stays open while the hasher is used). */
  constructor(fd: number) {
    this.#fd = fd;
    if (md5WorkerAvailable()) this.#job = new Md5WorkerJob();
    else this.#hash = createHash('md5');
  }

  /** The first `bytes` bytes of the file are final: hash up to there (in the background). */
  advance(bytes: number): void {
    if (bytes <= this.#target) return;
    this.#target = bytes;
    this.#chain = this.#chain.then(() => this.#catchUp());
  }

  /** The hex MD5 of the first `bytes` bytes, once they are read. Throws what a read failed with. */
  async digest(bytes: number): Promise<string> {
    this.advance(bytes);
    await this.#chain;
    if (this.#failure !== undefined) throw this.#failure.error;
    if (this.#hashed !== bytes)
      throw new Error(`hashed ${this.#hashed} bytes of the partial file, not ${bytes}`);
    if (this.#job) return this.#job.digest();
    return (this.#hash as Hash).digest('hex');
  }

  /** Frees the worker's job (safe to call more than once, and after digest). */
  dispose(): void {
    this.#job?.close();
  }

  async #catchUp(): Promise<void> {
    try {
      while (this.#failure === undefined && this.#hashed < this.#target) {
        const length = Math.min(READ_BYTES, this.#target - this.#hashed);
        const got = await this.#readAndHash(length);
        if (got === 0) {
          throw new Error(
            `the partial file ends at ${this.#hashed} bytes, before the ${this.#target} written`,
          );
        }
        this.#hashed += got;
      }
    } catch (error) {
      // A hash that missed bytes is worthless: every later step fails with this.
      this.#failure = { error };
    }
  }

  async #readAndHash(length: number): Promise<number> {
    if (this.#job) {
      const { buffer, bytes } = await this.#job.read(this.#fd, this.#hashed, length, this.#buffer);
      this.#buffer = buffer;
      return bytes;
    }
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await readAt(this.#fd, buffer, 0, length, this.#hashed);
    (this.#hash as Hash).update(buffer.subarray(0, bytesRead));
    return bytesRead;
  }
}

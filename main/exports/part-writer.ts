/**
 * Writes a download's bytes to its `.part` file while the next ones arrive. Received chunks are gathered into
 * batches (one writev instead of a write per 16-64 KiB chunk), and batches are written one after another at
 * increasing offsets while the socket is read on: waiting for each write before reading more would leave the
 * connection idle half the time. Only when too much waits for the disk does the reader wait, which slows the
 * sender through TCP. What counts as on disk advances only as each batch is written, in order.
 */
import type { FileHandle } from 'node:fs/promises';

/** Received bytes are written in batches of about this size. */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** Bytes handed to the disk and not yet written before the reader waits. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/**
 * The written bytes are flushed to the device every this many, in the background: the kernel would otherwise keep
 * the whole file in memory until the final fsync, which then has to write all of it while nothing else happens.
 */
const SYNC_EVERY_BYTES = 64 * 1024 * 1024;

interface PartWriterOptions {
  file: FileHandle;
  /** Where the first byte goes (the bytes already on disk). */
  offset: number;
  /** Also write what has gathered once this long has passed since the last batch (a slow link stays current). */
  flushIntervalMs: number;
  now: () => number;
  /** The disk now holds `bytes` (the offset plus everything written so far). */
  onWritten: (bytes: number) => void;
}

export class PartWriter {
  readonly #options: PartWriterOptions;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #nextOffset: number;
  #written: number;
  #queuedBytes = 0;
  #chain: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;
  #syncing: Promise<void> | undefined;
  #syncedUpTo: number;
  #lastBatchAt: number;

  constructor(options: PartWriterOptions) {
    this.#options = options;
    this.#nextOffset = options.offset;
    this.#written = options.offset;
    this.#syncedUpTo = options.offset;
    this.#lastBatchAt = options.now();
  }

  /** Bytes on disk (offset included). */
  get written(): number {
    return this.#written;
  }

  /** True once a write failed: nothing after it is written (it would leave a gap). */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Takes one received chunk; resolves at once unless too much waits for the disk. */
  async push(chunk: Buffer): Promise<void> {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    const due = this.#options.now() - this.#lastBatchAt >= this.#options.flushIntervalMs;
    if (this.#pendingBytes >= WRITE_BATCH_BYTES || due) this.#submit();
    if (this.#queuedBytes > MAX_QUEUED_BYTES) await this.#chain;
  }

  /** Writes what is left and waits for every write; throws the first write's failure. */
  async finish(): Promise<void> {
    if (this.#failure === undefined) this.#submit();
    await this.#chain;
    await this.#syncing;
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  #syncInBackground(): void {
    if (this.#syncing !== undefined || this.#written - this.#syncedUpTo < SYNC_EVERY_BYTES) return;
    const upTo = this.#written;
    this.#syncing = this.#options.file.datasync().then(
      () => {
        this.#syncedUpTo = upTo;
        this.#syncing = undefined;
      },
      (error: unknown) => {
        this.#failure ??= { error };
        this.#syncing = undefined;
      },
    );
  }

  #submit(): void {
    this.#lastBatchAt = this.#options.now();
    if (this.#pendingBytes === 0) return;
    const batch = this.#pending;
    const size = this.#pendingBytes;
    const at = this.#nextOffset;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#nextOffset += size;
    this.#queuedBytes += size;
    this.#chain = this.#chain.then(async () => {
      if (this.#failure !== undefined) return;
      try {
        await writeAll(this.#options.file, batch, at);
        this.#written = at + size;
        this.#options.onWritten(this.#written);
        this.#syncInBackground();
      } catch (error) {
        // Kept, not thrown here: the reader learns of it at the next push or at the end.
        this.#failure = { error };
      } finally {
        this.#queuedBytes -= size;
      }
    });
  }
}

/**
 * Writes the buffers at `position` whole. A nearly full disk accepts part of a write and says so only in the count
 * (the next write fails with ENOSPC): counting the batch as written would leave a hole in the file.
 */
async function writeAll(file: FileHandle, buffers: readonly Buffer[], position: number): Promise<void> {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = await file.writev([...rest], at);
    if (bytesWritten === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    at += bytesWritten;
    rest = dropBytes(rest, bytesWritten);
  }
}

/** The buffers without their first `count` bytes. */
function dropBytes(buffers: readonly Buffer[], count: number): readonly Buffer[] {
  let left = count;
  let index = 0;
  while (index < buffers.length && left >= (buffers[index] as Buffer).length) {
    left -= (buffers[index] as Buffer).length;
    index += 1;
  }
  if (index >= buffers.length) return [];
  return [(buffers[index] as Buffer).subarray(left), ...buffers.slice(index + 1)];
}

/**
 * Where a video parser gets its bytes, and how many it took. A random-access source reads small windows where it is
 * asked (the parsers skip over frame data); a sequential source reads the whole file front to back and hashes it on
 * the way, for containers that hold no index and no duration and so have to be read whole anyway.
 */
import { createHash } from 'node:crypto';

/** Positional reads of a file: what a `FileHandle` offers, and all the parsers need of one. */
export interface PositionalReader {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** Bytes of a file, read on demand; `bytesRead` counts what came off the disk. */
export interface ByteSource {
  readonly size: number;
  readonly bytesRead: number;
  /** Up to `length` bytes at `offset`; fewer only at the end of the file. The result stays valid after later reads. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Smallest read off the disk. A Matroska block's element header and block header take at most 24 bytes together
 * (14 as muxers write them), an MP4 box header 16; a small window keeps the bytes read to 32 per frame, 10% of a
 * file whose frames are 320 bytes (a larger window would read most of a file of small frames), and a header whose
 * frame is smaller than the window is found in it without another read.
 */
const RANDOM_WINDOW_BYTES = 32;
/** Read size of the sequential source, also what it hashes per step. */
const SEQUENTIAL_CHUNK_BYTES = 1024 * 1024;

const EMPTY = new Uint8Array(0);

/** A file open for reading, its size, and a count of the bytes read off it. */
abstract class FileSource implements ByteSource {
  bytesRead = 0;
  protected readonly handle: PositionalReader;
  readonly size: number;

  constructor(handle: PositionalReader, size: number) {
    this.handle = handle;
    this.size = size;
  }

  abstract read(offset: number, length: number): Promise<Uint8Array>;
}

/** Reads a small window around each request and keeps the last one, for parsers that jump over frame data. */
export class RandomAccessSource extends FileSource {
  private window: Uint8Array = EMPTY;
  private windowStart = 0;

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size);
    if (offset >= end) return EMPTY;
    if (offset >= this.windowStart && end <= this.windowStart + this.window.length) {
      return this.window.subarray(offset - this.windowStart, end - this.windowStart);
    }
    const want = Math.min(Math.max(end - offset, RANDOM_WINDOW_BYTES), this.size - offset);
    // A fresh buffer each time: slices handed out earlier stay intact.
    const buffer = new Uint8Array(want);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await this.handle.read(buffer, filled, want - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.bytesRead += filled;
    this.window = buffer.subarray(0, filled);
    this.windowStart = offset;
    return this.window.subarray(0, Math.min(length, filled));
  }
}

/** Reads the file once, in order, hashing every byte; requests must not go backwards. */
export class SequentialSource extends FileSource {
  private readonly hash = createHash('md5');
  private buffered: Uint8Array = EMPTY;
  private bufferedStart = 0;
  /** The file offset of the next read off the disk. */
  private next = 0;

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < this.bufferedStart) throw new Error(`sequential read went back to ${offset}`);
    const end = Math.min(offset + length, this.size);
    while (this.next < end) {
      const chunk = await this.readChunk();
      if (chunk.length === 0) break;
      const chunkStart = this.next - chunk.length;
      if (chunkStart + chunk.length <= offset) {
        // Skipped over whole: hashed, not kept.
        this.buffered = EMPTY;
        this.bufferedStart = this.next;
        continue;
      }
      // Keep [max(offset, what is buffered), end of this chunk): the buffered tail, then the chunk.
      const keepFrom = Math.max(offset, this.bufferedStart);
      const kept = this.buffered.subarray(Math.min(keepFrom - this.bufferedStart, this.buffered.length));
      const fresh = chunk.subarray(Math.max(0, keepFrom - chunkStart));
      const joined = new Uint8Array(kept.length + fresh.length);
      joined.set(kept, 0);
      joined.set(fresh, kept.length);
      this.buffered = joined;
      this.bufferedStart = keepFrom;
    }
    const from = offset - this.bufferedStart;
    if (from >= this.buffered.length) return EMPTY;
    return this.buffered.subarray(from, Math.min(from + (end - offset), this.buffered.length));
  }

  /** Reads what is left of the file and returns the MD5 of all of it, with the number of bytes hashed. */
  async finish(): Promise<{ md5: string; bytes: number }> {
    this.buffered = EMPTY;
    for (;;) {
      const chunk = await this.readChunk();
      if (chunk.length === 0) break;
    }
    this.bufferedStart = this.next;
    return { md5: this.hash.digest('hex'), bytes: this.next };
  }

  private async readChunk(): Promise<Uint8Array> {
    const buffer = new Uint8Array(SEQUENTIAL_CHUNK_BYTES);
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.next);
    const chunk = buffer.subarray(0, bytesRead);
    this.hash.update(chunk);
    this.next += bytesRead;
    this.bytesRead += bytesRead;
    return chunk;
  }
}

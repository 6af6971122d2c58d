/**
 * The ArrayBuffers that small-file reads fill (whole-file.ts), used again once their bytes are done with. 2,000
 * files of 64 KiB, each read twice (intake, then upload), allocated 256 MB of them; V8 counts that memory and ran
 * a full mark-compact, with concurrent marking on its helper threads, for about every 30 MB of it. The pool holds
 * at most POOL_BYTES of free buffers; a buffer is only ever given back by the one reader that took it, once
 * nothing reads its bytes any more.
 */

/** Free buffers kept at most (a few files in flight at 1 MiB each fit). */
const POOL_BYTES = 16 * 1024 * 1024;
/** Buffers are allocated in multiples of this, so files of nearby sizes share them. */
const GRAIN = 16 * 1024;

const free = new Set<ArrayBuffer>();
let freeBytes = 0;
/** Buffers this pool made (or that came back from a worker in their place): only these are taken back. */
const pooled = new WeakSet<ArrayBuffer>();

/** A buffer of at least `minBytes`, from the pool when one fits (at most about twice as large), else a new one. */
export function takeReadBuffer(minBytes: number): ArrayBuffer {
  for (const buffer of free) {
    if (buffer.byteLength >= minBytes && buffer.byteLength <= 2 * minBytes + GRAIN) {
      free.delete(buffer);
      freeBytes -= buffer.byteLength;
      return buffer;
    }
  }
  const buffer = new ArrayBuffer(Math.ceil(minBytes / GRAIN) * GRAIN);
  pooled.add(buffer);
  return buffer;
}

/**
 * Marks `buffer` as the pool's: a pooled buffer transferred to a worker thread and back arrives as a new
 * ArrayBuffer object over the same memory.
 */
export function adoptReadBuffer(buffer: ArrayBuffer): void {
  pooled.add(buffer);
}

/** Gives a buffer back for the next read. Its bytes must not be read after this. */
export function giveBackReadBuffer(buffer: ArrayBuffer): void {
  // A detached buffer (handed to a worker meanwhile) has no bytes left: byteLength 0.
  if (!pooled.has(buffer) || buffer.byteLength === 0 || free.has(buffer)) return;
  if (freeBytes + buffer.byteLength > POOL_BYTES) return;
  free.add(buffer);
  freeBytes += buffer.byteLength;
}

/** Free bytes the pool holds (for tests). */
export function pooledReadBytes(): number {
  return freeBytes;
}

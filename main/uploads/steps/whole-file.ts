/**
 * A small file read whole in one go: one open, one read, one fstat, one close, done in the hashing worker's
 * thread (which also hashes it when asked), so the main thread sends one message instead of making four trips
 * through the thread pool, and a slow or hung volume holds that thread, never the main one. Intake classifies
 * and hashes it from that one buffer, and the upload sends the very bytes it read (the storage's ETag then checked
 * against the MD5 intake recorded), instead of opening the file again for each of those (2,000 images of 64 KiB
 * cost as much in file calls as in requests). Without the worker (a build without its entry) the file is read
 * here with promise-based calls. Larger files are streamed (transfer-stream.ts).
 */
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { md5WorkerAvailable, readWholeInWorker } from '../../hashing/md5-worker.ts';
import { giveBackReadBuffer } from '../../hashing/read-buffers.ts';
import { describeFsError } from '../intake/fs-errors.ts';
import type { ItemRow } from '../journal/item-types.ts';

/** Files up to this size are read whole (a handful of them in flight at once stay within a few MiB). */
export const WHOLE_READ_MAX_BYTES = 1024 * 1024;

/** The reason of a file that is no longer the one queued. */
export const CHANGED_SINCE_QUEUED =
  'changed since it was queued (size or modification time differs); add it again to upload the new version';

/** True when the file is read whole rather than streamed. */
export function readsWhole(size: number): boolean {
  return size > 0 && size <= WHOLE_READ_MAX_BYTES;
}

/**
 * A file's bytes as queued, or why they cannot be had. `release()` gives their memory back for the next read
 * (read-buffers.ts): call it once nothing reads the bytes any more, or never (the garbage collector then takes it).
 */
type WholeFile = { bytes: Buffer; md5(): string; release(): void } | { problem: string };

/**
 * Reads the file whole and checks it is still the one queued: the size read and, after the read, the size and
 * modification time on disk. A change during the read moves the modification time, so bytes that pass are the
 * file as queued.
 */
export async function readWholeFile(
  file: Pick<ItemRow, 'path' | 'size' | 'mtimeMs'>,
  options: { hash?: boolean } = {},
): Promise<WholeFile> {
  if (!md5WorkerAvailable()) return readWholeHere(file);
  let read;
  try {
    read = await readWholeInWorker(file.path, file.size, options.hash ?? false);
  } catch (error) {
    return { problem: describeFsError(error) };
  }
  const { bytes, statSize, mtimeMs } = read;
  const release = (): void => giveBackReadBuffer(bytes.buffer as ArrayBuffer);
  if (bytes.length !== file.size || statSize !== file.size || mtimeMs !== file.mtimeMs) {
    release();
    return { problem: CHANGED_SINCE_QUEUED };
  }
  const md5 = read.md5;
  return { bytes, md5: () => md5 ?? createHash('md5').update(bytes).digest('hex'), release };
}

/** readWholeFile on this thread, for a build without the hashing worker. */
async function readWholeHere(file: Pick<ItemRow, 'path' | 'size' | 'mtimeMs'>): Promise<WholeFile> {
  let handle;
  try {
    handle = await open(file.path, 'r');
  } catch (error) {
    return { problem: describeFsError(error) };
  }
  try {
    // One byte more than queued: a file that grew fills it.
    const buffer = Buffer.allocUnsafe(file.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      length += bytesRead;
      // A short read of a regular file is its end.
      if (bytesRead === 0 || length >= file.size) break;
    }
    const stats = await handle.stat();
    if (length !== file.size || stats.size !== file.size || stats.mtimeMs !== file.mtimeMs)
      return { problem: CHANGED_SINCE_QUEUED };
    const bytes = buffer.subarray(0, length);
    return { bytes, md5: () => createHash('md5').update(bytes).digest('hex'), release: () => undefined };
  } catch (error) {
    return { problem: describeFsError(error) };
  } finally {
    // Nothing waits for the close: the bytes are in hand.
    void handle.close().catch(() => undefined);
  }
}

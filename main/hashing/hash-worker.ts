/**
 * The hashing worker: reads a file being uploaded and computes its MD5, off the main thread, so that the main
 * thread only moves the chunks from this worker to the socket. It imports only Node built-ins, so it is bundled as
 * its own entry with nothing shared.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { HashReply, HashRequest } from './hash-protocol.ts';

const hashes = new Map<number, Hash>();
/** Jobs whose hash may have missed bytes: every later request of theirs fails until they are dropped. */
const failed = new Set<number>();

function hashOf(job: number): Hash {
  let hash = hashes.get(job);
  if (!hash) {
    hash = createHash('md5');
    hashes.set(job, hash);
  }
  return hash;
}

/** Fills `target` from the file as far as it goes; returns the byte count (short only at the end of the file). */
function readInto(fd: number, position: number, target: Uint8Array): number {
  let filled = 0;
  while (filled < target.length) {
    const read = readSync(fd, target, filled, target.length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}

/** A small file read whole: its bytes (and MD5 when asked), and its size and modification time once read. */
function readWhole(
  path: string,
  size: number,
  buffer: ArrayBuffer,
  hash: boolean,
): Omit<HashReply & { ok: true }, 'job' | 'seq'> {
  const fd = openSync(path, 'r');
  try {
    // One byte more than queued, so a file that grew shows it; the buffer (a pooled one) may be larger.
    const bytes = readInto(fd, 0, new Uint8Array(buffer, 0, Math.min(buffer.byteLength, size + 1)));
    const stats = fstatSync(fd);
    const md5 = hash
      ? createHash('md5')
          .update(new Uint8Array(buffer, 0, bytes))
          .digest('hex')
      : undefined;
    return { ok: true, buffer, bytes, statSize: stats.size, mtimeMs: stats.mtimeMs, ...(md5 ? { md5 } : {}) };
  } finally {
    closeSync(fd);
  }
}

function handle(request: HashRequest): { reply: HashReply; transfer: ArrayBuffer[] } {
  const { job, seq } = request;
  if (request.op === 'readWhole') {
    const reply = { job, seq, ...readWhole(request.path, request.size, request.buffer, request.hash) };
    return { reply, transfer: reply.buffer ? [reply.buffer] : [] };
  }
  if (request.op === 'drop') {
    hashes.delete(job);
    failed.delete(job);
    return { reply: { job, seq, ok: true }, transfer: [] };
  }
  if (failed.has(job)) throw new Error('an earlier step of this checksum failed');
  switch (request.op) {
    case 'read': {
      const given = request.buffer;
      const buffer = given && given.byteLength >= request.length ? given : new ArrayBuffer(request.length);
      const target = new Uint8Array(buffer, 0, request.length);
      const bytes = readInto(request.fd, request.position, target);
      hashOf(job).update(target.subarray(0, bytes));
      return { reply: { job, seq, ok: true, buffer, bytes }, transfer: [buffer] };
    }
    case 'digest': {
      const md5 = hashOf(job).digest('hex');
      hashes.delete(job);
      return { reply: { job, seq, ok: true, md5 }, transfer: [] };
    }
  }
}

const port = parentPort;
if (!port) throw new Error('the hashing worker must run as a worker thread');
port.on('message', (request: HashRequest) => {
  try {
    const { reply, transfer } = handle(request);
    port.postMessage(reply, transfer);
  } catch (error) {
    // A failed job cannot be trusted any more: its hash may have missed bytes. (A whole read is a job of its own.)
    hashes.delete(request.job);
    if (request.op !== 'readWhole') failed.add(request.job);
    const failure = error as NodeJS.ErrnoException;
    port.postMessage({
      job: request.job,
      seq: request.seq,
      ok: false,
      message: failure.message,
      code: failure.code,
    } satisfies HashReply);
  }
});
// Tells the main thread this module loaded: a worker that fails before this is not tried again.
port.postMessage('ready');

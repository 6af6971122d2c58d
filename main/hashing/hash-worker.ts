/**
 * The hashing worker: computes MD5s next to the file I/O they belong to, off the main thread, so that the main
 * thread only moves bytes between the socket and this worker (uploads: read + hash here; downloads: write + hash
 * here). It imports only Node built-ins, so it is bundled as its own entry with nothing shared.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { HashReply, HashRequest } from './hash-protocol.ts';

/** Bytes per read when hashing a file prefix. */
const PREFIX_READ_BYTES = 1024 * 1024;

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

function hashFile(hash: Hash, path: string, length: number): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(Math.min(PREFIX_READ_BYTES, Math.max(1, length)));
    let done = 0;
    while (done < length) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, length - done), done);
      if (read === 0) throw Object.assign(new Error('the file is shorter than expected'), { code: 'ESHORT' });
      hash.update(buffer.subarray(0, read));
      done += read;
    }
  } finally {
    closeSync(fd);
  }
}

function handle(request: HashRequest): { reply: HashReply; transfer: ArrayBuffer[] } {
  const { job, seq } = request;
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
    case 'write': {
      const { buffer, length, fd, position } = request;
      const bytes = new Uint8Array(buffer, 0, length);
      let written = 0;
      while (written < length) {
        written += writeSync(fd, bytes, written, length - written, position + written);
      }
      hashOf(job).update(bytes);
      return { reply: { job, seq, ok: true, buffer, bytes: written }, transfer: [buffer] };
    }
    case 'hash-file':
      hashFile(hashOf(job), request.path, request.length);
      return { reply: { job, seq, ok: true }, transfer: [] };
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
    // A failed job cannot be trusted any more: its hash may have missed bytes.
    hashes.delete(request.job);
    failed.add(request.job);
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

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHashedWrites } from '../../../../main/hashing/hashed-writes.ts';
import { Md5WorkerJob, md5WorkerAvailable } from '../../../../main/hashing/md5-worker.ts';

const md5 = (data: Uint8Array): string => createHash('md5').update(data).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'md5-worker-'));

describe('MD5 worker', () => {
  it('is available when running from the sources', () => {
    expect(md5WorkerAvailable()).toBe(true);
  });

  it('reads a file into handed-over buffers and hashes exactly the bytes read', async () => {
    const data = randomBytes(300_000);
    const path = join(dir, 'read.bin');
    writeFileSync(path, data);
    const handle = await open(path, 'r');
    const job = new Md5WorkerJob();
    try {
      const mine = new ArrayBuffer(128 * 1024);
      const first = await job.read(handle.fd, 0, 128 * 1024, mine);
      // The buffer went to the worker and came back filled; the caller's reference is detached meanwhile.
      expect(mine.byteLength).toBe(0);
      expect(first.bytes).toBe(128 * 1024);
      expect(Buffer.from(first.buffer, 0, first.bytes).equals(data.subarray(0, 128 * 1024))).toBe(true);
      const second = await job.read(handle.fd, 128 * 1024, 128 * 1024, first.buffer);
      const third = await job.read(handle.fd, 256 * 1024, 128 * 1024);
      expect(second.bytes).toBe(128 * 1024);
      expect(third.bytes).toBe(300_000 - 256 * 1024);
      expect(await job.digest()).toBe(md5(data));
    } finally {
      job.close();
      await handle.close();
    }
  });

  it('fails every later request of a job once one failed (its hash may have missed bytes)', async () => {
    const job = new Md5WorkerJob();
    try {
      await expect(job.hashFile(join(dir, 'missing.bin'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(job.digest()).rejects.toThrow(/earlier step/);
    } finally {
      job.close();
    }
  });
});

describe('hashed writes', () => {
  it('writes batches handed over back to back at their offsets, and hashes them in file order', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 123);
    const path = join(dir, 'write.part');
    const file = await open(path, 'w+');
    const writes = openHashedWrites(file);
    try {
      const batches: Promise<void>[] = [];
      for (let at = 0; at < data.length; at += 700_000) {
        const end = Math.min(data.length, at + 700_000);
        // Two chunks per batch, as they come from a socket.
        const middle = at + Math.floor((end - at) / 2);
        batches.push(writes.write(at, [data.subarray(at, middle), data.subarray(middle, end)], end - at));
      }
      await Promise.all(batches);
      expect(await writes.digest()).toBe(md5(data));
    } finally {
      writes.close();
      await file.close();
    }
    expect(readFileSync(path).equals(data)).toBe(true);
  });

  it('continues the hash of a file an earlier run left', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const path = join(dir, 'resume.part');
    writeFileSync(path, data.subarray(0, 1_000_000));
    const file = await open(path, 'r+');
    const writes = openHashedWrites(file);
    try {
      await writes.hashExisting(path, 1_000_000);
      await writes.write(1_000_000, [data.subarray(1_000_000)], data.length - 1_000_000);
      expect(await writes.digest()).toBe(md5(data));
    } finally {
      writes.close();
      await file.close();
    }
    expect(readFileSync(path).equals(data)).toBe(true);
  });

  it('fails a write that cannot reach the disk, and every write after it', async () => {
    const path = join(dir, 'readonly.part');
    writeFileSync(path, '');
    const file = await open(path, 'r');
    const writes = openHashedWrites(file);
    try {
      const first = writes.write(0, [Buffer.alloc(10, 1)], 10);
      const second = writes.write(10, [Buffer.alloc(10, 2)], 10);
      await expect(first).rejects.toMatchObject({ code: 'EBADF' });
      await expect(second).rejects.toThrow();
    } finally {
      writes.close();
      await file.close();
    }
    expect(readFileSync(path).length).toBe(0);
  });
});

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Md5WorkerJob, md5WorkerAvailable, readWholeInWorker } from '../../../../main/hashing/md5-worker.ts';

const MODULE = join(import.meta.dirname, '../../../../main/hashing/md5-worker.ts');

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

  it('started ahead of use, does not keep a process from exiting', () => {
    const script = `import { startHashWorker } from ${JSON.stringify(MODULE)}; startHashWorker(); console.log('started');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.stdout.trim()).toBe('started');
    expect(child.status).toBe(0);
  });

  it('reads a small file whole, with its MD5 when asked and its size and mtime once read', async () => {
    const data = randomBytes(70_000);
    const path = join(dir, 'whole.bin');
    writeFileSync(path, data);
    const stats = statSync(path);
    const hashed = await readWholeInWorker(path, data.length, true);
    expect(hashed.bytes.equals(data)).toBe(true);
    expect(hashed.md5).toBe(md5(data));
    expect(hashed.statSize).toBe(data.length);
    expect(hashed.mtimeMs).toBe(stats.mtimeMs);
    // Not asked to hash: no MD5; queued smaller than it is: one byte more is read, so the growth shows.
    const grown = await readWholeInWorker(path, 1000, false);
    expect(grown.md5).toBeUndefined();
    expect(grown.bytes.length).toBe(1001);
    expect(grown.statSize).toBe(data.length);
  });

  it('fails a whole read with the file system’s code, and the next one still works', async () => {
    await expect(readWholeInWorker(join(dir, 'missing.bin'), 10, true)).rejects.toMatchObject({
      code: 'ENOENT',
    });
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    await expect(readWholeInWorker(folder, 10, false)).rejects.toMatchObject({ code: 'EISDIR' });
    const path = join(dir, 'after.bin');
    writeFileSync(path, 'still fine');
    expect((await readWholeInWorker(path, 10, true)).md5).toBe(md5(Buffer.from('still fine')));
  });

  it('fails every later request of a job once one failed (its hash may have missed bytes)', async () => {
    const job = new Md5WorkerJob();
    try {
      // A folder opens, but cannot be read as a file.
      const handle = await open(dir, 'r');
      try {
        await expect(job.read(handle.fd, 0, 16)).rejects.toMatchObject({ code: 'EISDIR' });
      } finally {
        await handle.close();
      }
      await expect(job.digest()).rejects.toThrow(/earlier step/);
    } finally {
      job.close();
    }
  });
});

/**
 * The download's disk side: the part writer puts chunks at their offsets in order while more arrive, and writes
 * nothing after a failed write; the disk hasher's MD5 (the hashing worker reading the file back) matches Python's
 * hashlib, over a prefix and the rest, and says so when the file is shorter than what it was told was written.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskHasher } from '../../../../main/exports/disk-hasher.ts';
import { PartWriter } from '../../../../main/exports/part-writer.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'part-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pythonMd5(path: string): string {
  const script = 'import hashlib,sys; print(hashlib.md5(open(sys.argv[1],"rb").read()).hexdigest())';
  return execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }).trim();
}

describe('PartWriter', () => {
  it('writes every chunk at its offset after the bytes already there, and reports what is on disk', async () => {
    const path = join(dir, 'a.part');
    const prefix = randomBytes(1000);
    await writeFile(path, prefix);
    const file = await open(path, 'r+');
    const reported: number[] = [];
    const writer = new PartWriter({
      file,
      offset: prefix.length,
      flushIntervalMs: 60_000,
      now: () => 0,
      onWritten: (bytes) => reported.push(bytes),
    });
    const chunks = Array.from({ length: 300 }, (_, i) => randomBytes(10_000 + i));
    for (const chunk of chunks) await writer.push(chunk);
    await writer.finish();
    await file.close();
    const expected = Buffer.concat([prefix, ...chunks]);
    expect((await readFile(path)).equals(expected)).toBe(true);
    expect(writer.written).toBe(expected.length);
    expect(reported.at(-1)).toBe(expected.length);
    expect(reported.every((bytes, i) => i === 0 || bytes > (reported[i - 1] as number))).toBe(true);
  });

  it('writes nothing after a failed write and throws its error at the end', async () => {
    const path = join(dir, 'b.part');
    const real = await open(path, 'w+');
    let writes = 0;
    const failing = {
      writev: async (buffers: Buffer[], position: number) => {
        writes++;
        if (writes === 2) throw Object.assign(new Error('disk gone'), { code: 'EIO' });
        return real.writev(buffers, position);
      },
      datasync: () => real.datasync(),
    } as unknown as FileHandle;
    const writer = new PartWriter({
      file: failing,
      offset: 0,
      flushIntervalMs: 60_000,
      now: () => 0,
      onWritten: () => undefined,
    });
    for (let i = 0; i < 8 && !writer.failed; i++) await writer.push(Buffer.alloc(1024 * 1024, i));
    await expect(writer.finish()).rejects.toThrow('disk gone');
    expect(writer.written).toBe(1024 * 1024);
    expect(writes).toBe(2);
    await real.close();
  });
});

describe('DiskHasher', () => {
  it("matches Python's MD5 over a prefix and what is written after it", async () => {
    const path = join(dir, 'c.part');
    const data = randomBytes(4 * 1024 * 1024 + 123);
    await writeFile(path, data);
    const file = await open(path, 'r');
    const hasher = new DiskHasher(file.fd);
    try {
      hasher.advance(1000);
      hasher.advance(2 * 1024 * 1024);
      expect(await hasher.digest(data.length)).toBe(pythonMd5(path));
    } finally {
      hasher.dispose();
      await file.close();
    }
  });

  it('fails the digest when the file is shorter than the bytes it was told of', async () => {
    const path = join(dir, 'd.part');
    await writeFile(path, Buffer.alloc(100, 1));
    const file = await open(path, 'r');
    const hasher = new DiskHasher(file.fd);
    try {
      await expect(hasher.digest(200)).rejects.toThrow(/ends at 100 bytes/);
    } finally {
      hasher.dispose();
      await file.close();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquirePartLock } from '../../../../main/exports/part-lock.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('acquirePartLock', () => {
  it('lets one run work on a .part at a time and frees it on release', async () => {
    const part = join(dir, 'a.zip.part');
    const release = await acquirePartLock(part);
    expect(await readFile(`${part}.lock`, 'utf8')).toBe(String(process.pid));
    await expect(acquirePartLock(part)).rejects.toThrow(/already working on a\.zip\.part/);
    await release();
    expect(existsSync(`${part}.lock`)).toBe(false);
    await (
      await acquirePartLock(part)
    )();
  });

  it('takes over the lock of a process that is gone', async () => {
    const part = join(dir, 'b.zip.part');
    // A pid that existed and has exited.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    await writeFile(`${part}.lock`, String(gone));
    const release = await acquirePartLock(part);
    expect(await readFile(`${part}.lock`, 'utf8')).toBe(String(process.pid));
    await release();
  });
});

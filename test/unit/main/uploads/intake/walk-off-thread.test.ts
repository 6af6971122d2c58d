/**
 * The walk in its worker thread gives exactly what the walk on this thread gives (files, order, bounded chunks and every
 * skip with its reason), stops its worker when the caller stops early or aborts, and leaves this thread's CPU to
 * the caller: the listing and lstat calls are counted on the worker's thread, not on this one.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkPathsOffThread } from '../../../../../main/uploads/intake/walk-off-thread.ts';
import type { FoundFile, SkippedFile } from '../../../../../main/uploads/intake/walk.ts';
import { walkPaths } from '../../../../../main/uploads/intake/walk.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'walk-off-thread-'));
  for (let folder = 0; folder < 20; folder++) {
    const sub = path.join(dir, `folder-${folder}`);
    mkdirSync(sub, { recursive: true });
    for (let i = 0; i < 150; i++) writeFileSync(path.join(sub, `img-${i}.jpg`), `file ${folder}/${i}`);
  }
  writeFileSync(path.join(dir, '.hidden.jpg'), 'x');
  writeFileSync(path.join(dir, 'empty.jpg'), '');
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git', 'config'), 'x');
  symlinkSync(path.join(dir, 'folder-0'), path.join(dir, 'link'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

type Walk = typeof walkPaths;

async function walkAll(
  walk: Walk,
  paths: string[],
): Promise<{ found: FoundFile[]; skipped: SkippedFile[]; chunks: number[]; mainCpuMs: number }> {
  const found: FoundFile[] = [];
  const skipped: SkippedFile[] = [];
  const chunks: number[] = [];
  const before = process.threadCpuUsage();
  for await (const chunk of walk(paths, { chunkSize: 400, onSkip: (s) => skipped.push(s) })) {
    chunks.push(chunk.length);
    found.push(...chunk);
  }
  const cpu = process.threadCpuUsage(before);
  return { found, skipped, chunks, mainCpuMs: (cpu.user + cpu.system) / 1000 };
}

describe('walkPathsOffThread', () => {
  it('finds what walkPaths finds, in the same order and chunks, with the same skips', async () => {
    const missing = path.join(dir, 'not-there');
    const here = await walkAll(walkPaths, [dir, missing]);
    const there = await walkAll(walkPathsOffThread, [dir, missing]);
    expect(there.found).toEqual(here.found);
    // Chunk sizes are left out: a slow moment may hand out a partial chunk early (by design) on either side.
    expect(there.chunks.every((size) => size <= 400)).toBe(true);
    expect(there.skipped).toEqual(here.skipped);
    expect(here.found).toHaveLength(3000);
    expect(there.skipped.map((s) => s.reason).sort()).toEqual(
      ['empty file', 'hidden file', 'hidden folder', 'not found', 'symbolic link (not followed)'].sort(),
    );
  });

  it('lists and stats on the worker thread: this thread spends far less CPU than walking here', async () => {
    // Warm both once (module loading, the worker's start), then measure.
    await walkAll(walkPaths, [dir]);
    await walkAll(walkPathsOffThread, [dir]);
    const here = await walkAll(walkPaths, [dir]);
    const there = await walkAll(walkPathsOffThread, [dir]);
    expect(there.found).toHaveLength(3000);
    expect(there.mainCpuMs).toBeLessThan(here.mainCpuMs * 0.6);
  });

  it('stops when the caller stops early, and when aborted, with the abort reason', async () => {
    let taken = 0;
    for await (const chunk of walkPathsOffThread([dir], { chunkSize: 100 })) {
      taken += chunk.length;
      if (taken >= 200) break;
    }
    expect(taken).toBe(200);

    const abort = new AbortController();
    const reason = new Error('the user canceled the scan');
    const walking = (async () => {
      let seen = 0;
      for await (const chunk of walkPathsOffThread([dir], { chunkSize: 100, signal: abort.signal })) {
        seen += chunk.length;
        if (seen >= 100) abort.abort(reason);
      }
      return seen;
    })();
    await expect(walking).rejects.toBe(reason);
  });
});

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeFsError } from '../../../../../main/uploads/intake/fs-errors.ts';
import type { FoundFile, SkippedFile } from '../../../../../main/uploads/intake/walk.ts';
import { skipReasonForName, walkPaths } from '../../../../../main/uploads/intake/walk.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'walk-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function put(relative: string, content = 'x'): string {
  const full = path.join(dir, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

async function walkAll(
  paths: string[],
  chunkSize?: number,
): Promise<{ found: FoundFile[]; skipped: SkippedFile[]; chunks: number[] }> {
  const found: FoundFile[] = [];
  const skipped: SkippedFile[] = [];
  const chunks: number[] = [];
  const options =
    chunkSize === undefined
      ? { onSkip: (s: SkippedFile) => skipped.push(s) }
      : { chunkSize, onSkip: (s: SkippedFile) => skipped.push(s) };
  for await (const chunk of walkPaths(paths, options)) {
    chunks.push(chunk.length);
    found.push(...chunk);
  }
  return { found, skipped, chunks };
}

const reasonFor = (skipped: SkippedFile[], full: string): string | undefined =>
  skipped.find((s) => s.path === full)?.reason;

describe('walkPaths', () => {
  it('lists each folder in name order (numbers as numbers, case ignored), its files before its subfolders', async () => {
    for (const name of ['img-10.jpg', 'img-2.jpg', 'B.jpg', 'a.jpg', 'img-1.jpg']) put(name);
    put('z-sub/2.jpg');
    put('z-sub/10.jpg');
    put('c-sub/x.jpg');
    const { found } = await walkAll([dir]);
    expect(found.map((f) => f.relativePath)).toEqual([
      'a.jpg',
      'B.jpg',
      'img-1.jpg',
      'img-2.jpg',
      'img-10.jpg',
      'c-sub/x.jpg',
      'z-sub/2.jpg',
      'z-sub/10.jpg',
    ]);
  });

  it('finds regular files in nested folders with size, mtime, root and a /-separated relative path', async () => {
    put('a.jpg', 'abc');
    put('sub/deeper/b.mp4', 'hello');
    const { found, skipped } = await walkAll([dir]);
    expect(skipped).toEqual([]);
    const byRelative = new Map(found.map((f) => [f.relativePath, f]));
    expect([...byRelative.keys()].sort()).toEqual(['a.jpg', 'sub/deeper/b.mp4']);
    const b = byRelative.get('sub/deeper/b.mp4') as FoundFile;
    expect(b.path).toBe(path.join(dir, 'sub', 'deeper', 'b.mp4'));
    expect(b.size).toBe(5);
    expect(b.root).toBe(dir);
    expect(b.mtimeMs).toBeGreaterThan(0);
  });

  it('leaves out hidden and system files and folders, saying why, and reports a hidden folder once', async () => {
    put('keep.png');
    const hidden = put('.secret.png');
    put('.git/objects/aa/bb');
    put('.git/config');
    const dsStore = put('.DS_Store');
    const thumbs = put('photos/Thumbs.db');
    const desktopIni = put('photos/desktop.ini');
    const appleDouble = put('photos/._keep.png');
    put('$RECYCLE.BIN/deleted.png');
    put('System Volume Information/IndexerVolumeGuid');
    const { found, skipped } = await walkAll([dir]);
    expect(found.map((f) => f.relativePath)).toEqual(['keep.png']);
    expect(reasonFor(skipped, hidden)).toBe('hidden file');
    expect(reasonFor(skipped, path.join(dir, '.git'))).toBe('hidden folder');
    expect(skipped.filter((s) => s.path.includes('.git'))).toHaveLength(1);
    expect(reasonFor(skipped, dsStore)).toBe('system file (.DS_Store)');
    expect(reasonFor(skipped, thumbs)).toBe('system file (Thumbs.db)');
    expect(reasonFor(skipped, desktopIni)).toBe('system file (desktop.ini)');
    expect(reasonFor(skipped, appleDouble)).toContain('AppleDouble');
    expect(reasonFor(skipped, path.join(dir, '$RECYCLE.BIN'))).toBe('system folder ($RECYCLE.BIN)');
    expect(reasonFor(skipped, path.join(dir, 'System Volume Information'))).toBe(
      'system folder (System Volume Information)',
    );
  });

  it('does not follow symbolic links to files or folders, and reports each', async () => {
    const target = put('outside/real.png');
    const inside = path.join(dir, 'inside');
    mkdirSync(inside);
    symlinkSync(target, path.join(inside, 'link.png'));
    symlinkSync(path.join(dir, 'outside'), path.join(inside, 'linked-folder'));
    symlinkSync(path.join(dir, 'missing'), path.join(inside, 'dangling.png'));
    const { found, skipped } = await walkAll([inside]);
    expect(found).toEqual([]);
    for (const name of ['link.png', 'linked-folder', 'dangling.png']) {
      expect(reasonFor(skipped, path.join(inside, name))).toBe('symbolic link (not followed)');
    }
  });

  it('skips empty files and non-regular files with a reason', async () => {
    const empty = put('empty.txt', '');
    const fifo = path.join(dir, 'pipe');
    let haveFifo = true;
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      haveFifo = false;
      console.log('mkfifo is not available here: the named-pipe case is not exercised');
    }
    const { found, skipped } = await walkAll([dir]);
    expect(found).toEqual([]);
    expect(reasonFor(skipped, empty)).toBe('empty file');
    if (haveFifo) expect(reasonFor(skipped, fifo)).toBe('not a regular file (named pipe)');
  });

  it('takes files given directly (even hidden ones), reports missing paths, and never yields a file twice', async () => {
    const direct = put('folder/photo.jpg');
    const hiddenDirect = put('.hidden-by-choice.jpg');
    const missing = path.join(dir, 'nope.jpg');
    const { found, skipped } = await walkAll([
      direct,
      path.join(dir, 'folder'),
      path.join(dir, 'folder'),
      hiddenDirect,
      missing,
    ]);
    expect(found.map((f) => f.path).sort()).toEqual([direct, hiddenDirect].sort());
    const hidden = found.find((f) => f.path === hiddenDirect) as FoundFile;
    expect(hidden.root).toBe(dir);
    expect(hidden.relativePath).toBe('.hidden-by-choice.jpg');
    expect(reasonFor(skipped, direct)).toBe(`already included in the folder ${path.join(dir, 'folder')}`);
    expect(reasonFor(skipped, missing)).toBe('not found');
  });

  it('takes thousands of files given one by one, in bounded chunks', async () => {
    const files = Array.from({ length: 3000 }, (_, i) => put(`many/${i}.jpg`));
    const { found, chunks } = await walkAll(files, 500);
    expect(found.map((f) => f.path)).toEqual(files);
    // A slow disk may hand out a partial chunk early; never a chunk larger than asked.
    expect(Math.max(...chunks)).toBeLessThanOrEqual(500);
    expect(chunks.length).toBeGreaterThanOrEqual(6);
  });

  it('still leaves out a system file given directly', async () => {
    const dsStore = put('.DS_Store');
    const { found, skipped } = await walkAll([dsStore]);
    expect(found).toEqual([]);
    expect(reasonFor(skipped, dsStore)).toBe('system file (.DS_Store)');
  });

  it('yields chunks no larger than chunkSize and every file exactly once', async () => {
    for (let i = 0; i < 1234; i++) put(`d${i % 7}/f${i}.jpg`);
    const { found, chunks } = await walkAll([dir], 100);
    expect(found).toHaveLength(1234);
    expect(new Set(found.map((f) => f.path)).size).toBe(1234);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(100);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(1234);
  });

  it('reports a folder that vanishes during the walk and carries on', async () => {
    put('a/one.jpg');
    put('b/two.jpg');
    const skipped: SkippedFile[] = [];
    const found: FoundFile[] = [];
    let removed = '';
    for await (const chunk of walkPaths([dir], { chunkSize: 1, onSkip: (s) => skipped.push(s) })) {
      found.push(...chunk);
      if (!removed) {
        // Whichever folder was listed first, the other one has not been opened yet: remove it now.
        removed = path.join(dir, chunk[0]?.relativePath.startsWith('a/') ? 'b' : 'a');
        rmSync(removed, { recursive: true });
      }
    }
    expect(found).toHaveLength(1);
    expect(reasonFor(skipped, removed)).toBe('vanished: it no longer exists');
  });

  it.skipIf(process.getuid?.() === 0)(
    'reports an unreadable folder and carries on (skipped as root: root reads everything)',
    async () => {
      put('ok/a.jpg');
      const locked = path.join(dir, 'locked');
      put('locked/b.jpg');
      chmodSync(locked, 0o000);
      try {
        const { found, skipped } = await walkAll([dir]);
        expect(found.map((f) => f.relativePath)).toEqual(['ok/a.jpg']);
        expect(reasonFor(skipped, locked)).toBe('unreadable: permission denied');
      } finally {
        chmodSync(locked, 0o755);
      }
    },
  );

  it('stops with the abort reason when the signal fires', async () => {
    for (let i = 0; i < 50; i++) put(`d${i}/f.jpg`);
    const controller = new AbortController();
    const seen: FoundFile[] = [];
    const attempt = async (): Promise<void> => {
      for await (const chunk of walkPaths([dir], { chunkSize: 1, signal: controller.signal })) {
        seen.push(...chunk);
        controller.abort(new Error('user canceled'));
      }
    };
    await expect(attempt()).rejects.toThrow('user canceled');
    expect(seen).toHaveLength(1);
  });
});

describe('skipReasonForName', () => {
  it('keeps ordinary names and flags hidden and system names, case-insensitively for system names', () => {
    expect(skipReasonForName('photo.jpg', false)).toBeNull();
    expect(skipReasonForName('.env', false)).toBe('hidden file');
    expect(skipReasonForName('.env', false, true)).toBeNull();
    expect(skipReasonForName('THUMBS.DB', false)).toBe('system file (THUMBS.DB)');
    expect(skipReasonForName('.Spotlight-V100', true)).toBe('system folder (.Spotlight-V100)');
  });
});

describe('describeFsError', () => {
  it('turns error codes into short sentences', () => {
    const withCode = (code: string) => Object.assign(new Error(`${code}: boom`), { code });
    expect(describeFsError(withCode('EACCES'))).toBe('unreadable: permission denied');
    expect(describeFsError(withCode('EPERM'))).toBe('unreadable: permission denied');
    expect(describeFsError(withCode('ENOENT'))).toBe('vanished: it no longer exists');
    expect(describeFsError(withCode('EIO'))).toBe('unreadable: input/output error');
    expect(describeFsError(withCode('EBUSY'))).toBe('unreadable: another program has it locked');
    // An unknown code keeps the prefix the pipeline matches on, and says what kind of trouble it is.
    expect(describeFsError(withCode('EWEIRD'))).toBe('unreadable: the system refused to read it (EWEIRD)');
    expect(describeFsError(new Error('odd'))).toBe('unreadable: odd');
  });
});

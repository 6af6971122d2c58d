import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  extractionFolderFor,
  extractZipSafely,
  unsafeNameReason,
} from '../../../../main/exports/safe-extract.ts';
import { UnsafeArchiveError } from '../../../../main/exports/export-errors.ts';
import { craftZip } from '../../../fixtures/zips/crafted-zip.ts';
import type { CraftedEntry } from '../../../fixtures/zips/crafted-zip.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extract-test-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function zipFile(entries: CraftedEntry[]): Promise<string> {
  const path = join(dir, 'out', 'export.zip');
  await mkdir(join(dir, 'out'), { recursive: true });
  await writeFile(path, await craftZip(entries));
  return path;
}

/** Every file under `root`, relative. */
async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe('extractZipSafely', () => {
  it('extracts the tutorial layout into a folder named after the export', async () => {
    const zip = await zipFile([
      { name: 'r1/', mode: 0o40755 },
      { name: 'r1/cat.json', content: '{"id":"r1"}' },
      { name: 'r1/cat.png', content: Buffer.alloc(5000, 1), store: true },
      { name: 'r2/dog.json', content: '{"id":"r2"}' },
      { name: 'r2/dog.png', content: Buffer.alloc(7000, 2) },
    ]);
    const folder = extractionFolderFor(zip);
    expect(folder).toBe(join(dir, 'out', 'export'));
    const result = await extractZipSafely(zip, folder);
    expect(result).toEqual({ folder, files: 4, bytes: 11 + 5000 + 11 + 7000 });
    expect(await listTree(folder)).toEqual(['r1/cat.json', 'r1/cat.png', 'r2/dog.json', 'r2/dog.png']);
    expect(await readFile(join(folder, 'r2/dog.json'), 'utf8')).toBe('{"id":"r2"}');
    // No staging folder is left beside it.
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['export', 'export.zip']);
  });

  it.each([
    ['../evil.txt', /climbs out/],
    ['r1/../../evil.txt', /climbs out/],
    ['r1\\..\\..\\evil.txt', /climbs out/],
    ['C:/evil.txt', /absolute path/],
  ])('refuses %s and writes nothing', async (name, reason) => {
    const zip = await zipFile([
      { name: 'r1/ok.json', content: '{}' },
      { name, content: 'pwned' },
    ]);
    const error = await extractZipSafely(zip, extractionFolderFor(zip)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeArchiveError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toContain('nothing was extracted');
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
    expect(await readdir(join(dir, 'out'))).toEqual(['export.zip']);
  });

  it('refuses an absolute path without writing to it', async () => {
    const outside = join(dir, 'outside', 'abs.txt');
    const zip = await zipFile([{ name: outside, content: 'pwned' }]);
    await expect(extractZipSafely(zip, extractionFolderFor(zip))).rejects.toThrow(/absolute path/);
    expect(existsSync(join(dir, 'outside'))).toBe(false);
  });

  it('refuses symbolic links (by their external attributes)', async () => {
    const zip = await zipFile([
      { name: 'r1/link', content: '/etc/passwd', mode: 0o120777 },
      { name: 'r1/link/passwd', content: 'x' },
    ]);
    await expect(extractZipSafely(zip, extractionFolderFor(zip))).rejects.toThrow(
      /entry "r1\/link" is a symbolic link/,
    );
    expect(await readdir(join(dir, 'out'))).toEqual(['export.zip']);
  });

  it('refuses device files and duplicate names', async () => {
    const device = await zipFile([{ name: 'r1/dev', content: '', mode: 0o20644 }]);
    await expect(extractZipSafely(device, join(dir, 'a'))).rejects.toThrow(/not a regular file/);
    const twice = await zipFile([
      { name: 'r1/a.json', content: '1' },
      { name: 'r1/a.json', content: '2' },
    ]);
    await expect(extractZipSafely(twice, join(dir, 'b'))).rejects.toThrow(/appears twice/);
  });

  it('caps the count of files and the total size with a clear error (zip bomb)', async () => {
    const many = await zipFile(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, content: 'x' })));
    await expect(
      extractZipSafely(many, join(dir, 'many'), { maxFiles: 10, maxTotalBytes: 1e9 }),
    ).rejects.toThrow(/more than 10 files/);
    // 10 MB of zeros compresses to a few KB: the declared size is what counts.
    const bomb = await zipFile([{ name: 'zeros.bin', content: Buffer.alloc(10_000_000) }]);
    const error = await extractZipSafely(bomb, join(dir, 'bomb'), {
      maxFiles: 10,
      maxTotalBytes: 1_000_000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'archive-too-large' });
    expect((error as Error).message).toMatch(/exceed the limit of 1000000 bytes/);
    expect(existsSync(join(dir, 'bomb'))).toBe(false);
  });

  it('does not extract over a folder that already has files', async () => {
    const zip = await zipFile([{ name: 'a.txt', content: 'new' }]);
    const folder = extractionFolderFor(zip);
    await mkdir(folder);
    await writeFile(join(folder, 'a.txt'), 'mine');
    await expect(extractZipSafely(zip, folder)).rejects.toThrow(/already exists and is not empty/);
    expect(await readFile(join(folder, 'a.txt'), 'utf8')).toBe('mine');
  });
});

describe('unsafeNameReason', () => {
  it('accepts plain relative names and rejects the rest', () => {
    expect(unsafeNameReason('a/b/c.json')).toBeUndefined();
    expect(unsafeNameReason('a/..b/c')).toBeUndefined();
    expect(unsafeNameReason('/x')).toMatch(/absolute/);
    expect(unsafeNameReason('a/../../x')).toMatch(/climbs/);
    expect(unsafeNameReason('')).toMatch(/empty/);
  });
});

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  extractionFolderFor,
  extractZipSafely,
  renamedSentence,
  unsafeNameReason,
} from '../../../../main/exports/safe-extract.ts';
import { ExportError, UnsafeArchiveError } from '../../../../main/exports/export-errors.ts';
import { extractionFailure } from '../../../../main/exports/zip-failures.ts';
import { craftZip } from '../../../fixtures/zips/crafted-zip.ts';
import { filesUnder } from '../../../fixtures/zips/file-tree.ts';
import type { CraftedEntry } from '../../../fixtures/zips/crafted-zip.ts';
import { rawZip } from '../../../fixtures/zips/raw-zip.ts';
import type { RawEntry } from '../../../fixtures/zips/raw-zip.ts';

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
    expect(result).toEqual({ folder, files: 4, renamed: [], bytes: 11 + 5000 + 11 + 7000 });
    expect(await filesUnder(folder)).toEqual(['r1/cat.json', 'r1/cat.png', 'r2/dog.json', 'r2/dog.png']);
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

describe('names, methods and failures', () => {
  async function rawZipFile(entries: RawEntry[]): Promise<string> {
    const path = join(dir, 'out', 'export.zip');
    await mkdir(join(dir, 'out'), { recursive: true });
    await writeFile(path, rawZip(entries));
    return path;
  }

  it('replaces control characters in names (terminal escapes, newlines) and says nothing else changed', async () => {
    const zip = await rawZipFile([
      { name: 'r1/bad\u001b[31mname\n.json', content: Buffer.from('{}') },
      { name: 'r1/tab\there\u0085.txt', content: Buffer.from('x') },
    ]);
    const folder = extractionFolderFor(zip);
    const result = await extractZipSafely(zip, folder);
    expect(await filesUnder(folder)).toEqual(['r1/bad_[31mname_.json', 'r1/tab_here_.txt']);
    expect(result.renamed).toEqual([
      { entry: 'r1/bad\\x1b[31mname\\x0a.json', written: 'r1/bad_[31mname_.json' },
      { entry: 'r1/tab\\x09here\\x85.txt', written: 'r1/tab_here_.txt' },
    ]);
    expect(renamedSentence(result.renamed)).toBe(
      '2 names held control characters, written with "_" in their place: "r1/bad\\x1b[31mname\\x0a.json" as "r1/bad_[31mname_.json", "r1/tab\\x09here\\x85.txt" as "r1/tab_here_.txt"',
    );
    const many = Array.from({ length: 5 }, (_, i) => ({ entry: `a\\x0${i}`, written: `a_${i}` }));
    expect(renamedSentence(many)).toMatch(/^5 names held .*"a\\x02" as "a_2", and 2 more$/);
    expect(renamedSentence([])).toBeUndefined();
  });

  it('writes folders that differ only in case or accent form as one, spelt as the first entry spelt it', async () => {
    const zip = await rawZipFile([
      { name: 'Photos/a.jpg', content: Buffer.from('a') },
      { name: 'photos/b.jpg', content: Buffer.from('b') },
      { name: 'cafe\u0301/x.json', content: Buffer.from('x') },
      { name: 'CAF\u00c9/sub/', mode: 0o40755 },
      { name: 'caf\u00e9/sub/y.json', content: Buffer.from('y') },
    ]);
    const folder = extractionFolderFor(zip);
    const result = await extractZipSafely(zip, folder);
    expect(await filesUnder(folder)).toEqual(
      ['Photos/a.jpg', 'Photos/b.jpg', 'cafe\u0301/sub/y.json', 'cafe\u0301/x.json'].sort(),
    );
    expect(await readFile(join(folder, 'Photos/b.jpg'), 'utf8')).toBe('b');
    expect(result.renamed).toEqual([]);
  });

  it('refuses NUL, over-long name parts, names that clash after folding case, and a file used as a folder', async () => {
    const cases: [RawEntry[], string][] = [
      [
        [{ name: 'a.txt\u0000.sh', content: Buffer.from('x') }],
        'entry "a.txt\\x00.sh" has a NUL character in its name',
      ],
      [
        [{ name: `r1/${'é'.repeat(128)}.json`, content: Buffer.from('x') }],
        'has a name part longer than 255 bytes',
      ],
      [
        [
          { name: 'r1/Cat.json', content: Buffer.from('1') },
          { name: 'r1/cat.json', content: Buffer.from('2') },
        ],
        'entry "r1/cat.json" appears twice',
      ],
      [
        [
          { name: 'r1', content: Buffer.from('1') },
          { name: 'r1/cat.json', content: Buffer.from('2') },
        ],
        'entry "r1/cat.json" lies inside a file of the same name',
      ],
      [
        [
          { name: 'r1/', mode: 0o40755 },
          { name: 'r1', content: Buffer.from('2') },
        ],
        'entry "r1" is both a file and a folder',
      ],
    ];
    for (const [entries, reason] of cases) {
      const zip = await rawZipFile(entries);
      const error = await extractZipSafely(zip, extractionFolderFor(zip)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsafeArchiveError);
      expect((error as Error).message).toContain(reason);
      expect(await readdir(join(dir, 'out'))).toEqual(['export.zip']);
    }
  });

  it('says in plain words when a path is too long for the system (ENAMETOOLONG), writing nothing', async () => {
    const deep = `${Array.from({ length: 20 }, (_, i) => `${i}${'d'.repeat(240)}`).join('/')}/f.json`;
    const zip = await rawZipFile([{ name: deep, content: Buffer.from('{}') }]);
    const error = await extractZipSafely(zip, extractionFolderFor(zip)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect((error as Error).message).toMatch(
      /^cannot extract export\.zip: entry "0d{198}…" makes a path longer than this system allows; extract into a folder with a shorter path; nothing was extracted$/,
    );
    expect(await readdir(join(dir, 'out'))).toEqual(['export.zip']);
  });

  it('says in plain words that a file is not a zip, or that an entry is damaged', async () => {
    const notZip = join(dir, 'notes.zip');
    await writeFile(notZip, 'just text, not an archive');
    await expect(extractZipSafely(notZip, join(dir, 'n'))).rejects.toThrow(
      /^cannot extract notes\.zip: it is not a zip archive, or its end is missing; nothing was extracted$/,
    );
    // Deflate data that is not Deflate: zlib's own words stay out of the message.
    const zip = await rawZipFile([
      {
        name: 'r1/a.json',
        content: Buffer.from('{"a":1}'),
        method: 8,
        compressed: Buffer.from([0xff, 0xff, 0xff]),
      },
    ]);
    await expect(extractZipSafely(zip, extractionFolderFor(zip))).rejects.toThrow(
      /^cannot extract export\.zip: entry "r1\/a\.json" is damaged: its compressed data is corrupt; nothing was extracted$/,
    );
    expect(await readdir(join(dir, 'out'))).toEqual(['export.zip']);
  });
});

describe('extractionFailure', () => {
  const errno = (code: string): NodeJS.ErrnoException =>
    Object.assign(new Error(`${code}: raw, '/x/y'`), { code });
  it.each([
    [
      errno('EEXIST'),
      'r1/a',
      'cannot extract e.zip: entry "r1/a" clashes with another entry of the same name (a file and a folder, or names that differ only in case or accents); nothing was extracted',
    ],
    [
      errno('ENOTDIR'),
      'r1/a/b',
      'cannot extract e.zip: entry "r1/a/b" clashes with another entry of the same name (a file and a folder, or names that differ only in case or accents); nothing was extracted',
    ],
    [
      errno('ENAMETOOLONG'),
      'long',
      'cannot extract e.zip: entry "long" makes a path longer than this system allows; extract into a folder with a shorter path; nothing was extracted',
    ],
    [
      errno('EACCES'),
      'r1/a',
      'cannot extract e.zip: entry "r1/a" could not be written: permission denied; nothing was extracted',
    ],
    [
      new Error('too many bytes in the stream. expected 10. got at least 11'),
      'r1/a',
      'cannot extract e.zip: entry "r1/a" is damaged: it holds a different number of bytes than it declares; nothing was extracted',
    ],
    [
      new Error('unsupported compression method: 14'),
      'r1/a',
      'cannot extract e.zip: entry "r1/a" is compressed with LZMA, which this app cannot extract; re-create the export or extract it with 7-Zip; nothing was extracted',
    ],
    [
      new Error('invalid local file header signature: 0x0'),
      'r1/a',
      'cannot extract e.zip: entry "r1/a" is damaged: its data cannot be found in the archive; nothing was extracted',
    ],
    [
      new Error('invalid central directory file header signature: 0x1'),
      undefined,
      'cannot extract e.zip: it is damaged: its table of contents cannot be read; nothing was extracted',
    ],
    [
      new Error('something yauzl never said before'),
      undefined,
      'cannot extract e.zip: it is damaged and cannot be read; nothing was extracted',
    ],
  ])('%s', (error, entry, sentence) => {
    const plain = extractionFailure(error, '/downloads/e.zip', entry);
    expect(plain).toBeInstanceOf(ExportError);
    expect((plain as Error).message).toBe(sentence);
  });

  it('passes a full disk through for the runner to report, and our own errors untouched', () => {
    const full = errno('ENOSPC');
    expect(extractionFailure(full, '/d/e.zip', 'a')).toBe(full);
    const own = new ExportError('target-exists', 'x');
    expect(extractionFailure(own, '/d/e.zip', 'a')).toBe(own);
  });
});

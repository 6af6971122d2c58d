/**
 * The extractor on archives written by other tools, generated here: Info-ZIP `zip` (UTF-8 names without the UTF-8
 * flag, as on Linux; raw CP437 bytes; bzip2 entries), 7-Zip (flagged UTF-8; bzip2 and Deflate64 entries) and
 * Python's zipfile. What it writes (every name and every byte) is compared with what `unzip` and `7z x` write from
 * the same archives, or with what Python reads where unzip writes raw bytes; entries in a method it cannot extract
 * are named, and 7-Zip is shown to extract them as the message advises; zip bombs made by Info-ZIP from a stream of
 * zeros are refused. A test whose tool is missing is skipped, saying so.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../../../main/exports/export-errors.ts';
import { extractZipSafely } from '../../../../main/exports/safe-extract.ts';
import { has, reportMissingTools, run } from '../../../fixtures/zips/archivers.ts';
import { filesUnder, treeOf } from '../../../fixtures/zips/file-tree.ts';

reportMissingTools('zip-tools');

/** Names with what goes wrong in archives: accents, CJK, emoji, quotes and shell characters, nested folders. */
const NAMES = ['café.txt', '日本/データ.json', 'emoji 😀.png', "it's ~!+=%.json", 'r1/plain.txt'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zip-tools-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Content for a file: its name, then bytes that compress somewhat and bytes that do not. */
function contentFor(name: string | Buffer): Buffer {
  const text = Buffer.from(`${name.toString()}\n${'{"label":"cat","score":0.5}\n'.repeat(200)}`);
  return Buffer.concat([text, randomBytes(3000)]);
}

/** A fresh folder holding one file per name (see contentFor). */
async function sourceTree(label: string, names: readonly (string | Buffer)[]): Promise<string> {
  const root = join(dir, label, 'src');
  for (const name of names) {
    const path = Buffer.concat([Buffer.from(`${root}/`), Buffer.from(name)]);
    const parent = path.subarray(0, path.lastIndexOf('/'));
    await mkdir(parent.toString(), { recursive: true });
    // A Buffer path keeps raw bytes (a CP437 name is not valid UTF-8).
    await writeFile(path, contentFor(name));
  }
  return root;
}

/** The tree `command` writes into a fresh folder (`args` are given that folder). */
async function toolTree(
  label: string,
  command: string,
  args: (out: string) => string[],
): Promise<Record<string, string>> {
  const out = join(dir, label, `by-${command}`);
  await mkdir(out, { recursive: true });
  run(command, args(out), dir);
  return treeOf(out);
}

/** What Python's zipfile reads as the archive's file names. */
function pythonNames(zipPath: string): string[] {
  const script =
    'import json,sys,zipfile\nprint(json.dumps([n for n in zipfile.ZipFile(sys.argv[1]).namelist() if not n.endswith("/")]))';
  return (JSON.parse(run('python3', ['-c', script, zipPath], dir).toString('utf8')) as string[]).sort();
}

/** A file of `size` zeros that takes no room on disk (sparse), for zip to read like a stream of /dev/zero. */
async function zeros(path: string, size: number): Promise<void> {
  await writeFile(path, '');
  await truncate(path, size);
}

/** What our extractor writes from the archive. */
async function ourTree(zipPath: string, label: string): Promise<Record<string, string>> {
  const folder = join(dir, label, 'ours');
  await extractZipSafely(zipPath, folder);
  return treeOf(folder);
}

/** The general purpose flags of each entry, as Python reads them. */
function pythonFlags(zipPath: string): number[] {
  const script =
    'import json,sys,zipfile\nprint(json.dumps([i.flag_bits for i in zipfile.ZipFile(sys.argv[1]).infolist()]))';
  return JSON.parse(run('python3', ['-c', script, zipPath], dir).toString('utf8')) as number[];
}

/** The compression method of the archive's first entry, as Python reads it. */
function pythonMethod(zipPath: string): number {
  const script = 'import sys,zipfile\nprint(zipfile.ZipFile(sys.argv[1]).infolist()[0].compress_type)';
  return Number(run('python3', ['-c', script, zipPath], dir).toString().trim());
}

/** The compressed and uncompressed size of every entry, as Python reads them. */
function pythonSizes(zipPath: string): [number, number][] {
  const script =
    'import json,sys,zipfile\nprint(json.dumps([[i.compress_size, i.file_size] for i in zipfile.ZipFile(sys.argv[1]).infolist()]))';
  return JSON.parse(run('python3', ['-c', script, zipPath], dir).toString('utf8')) as [number, number][];
}

/** A folder holding results.json, big enough that every method compresses it rather than storing it. */
async function resultsFile(label: string): Promise<string> {
  const src = join(dir, label, 'src');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'results.json'), '{"label":"cat"}\n'.repeat(2000));
  return src;
}

async function refusal(zipPath: string, folder: string): Promise<Error> {
  const error = await extractZipSafely(zipPath, folder).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExportError);
  expect(existsSync(folder)).toBe(false);
  return error as Error;
}

describe('archives written by other tools', () => {
  it.skipIf(!has.zip || !has.python)(
    'extracts Info-ZIP’s unflagged UTF-8 names and bytes as unzip does, not as CP437',
    async () => {
      const src = await sourceTree('info-zip', NAMES);
      const zipPath = join(dir, 'info-zip', 'info.zip');
      run('zip', ['-qr', zipPath, '.'], src);
      // The case at stake: no entry says its name is UTF-8.
      expect(pythonFlags(zipPath).every((flags) => (flags & 0x800) === 0)).toBe(true);
      const reference = await toolTree('info-zip', 'unzip', (out) => ['-q', zipPath, '-d', out]);
      expect(Object.keys(reference).sort()).toEqual([...NAMES].sort());
      expect(await ourTree(zipPath, 'info-zip')).toEqual(reference);
    },
  );

  it.skipIf(!has.zip || !has.python)(
    'reads names that are not valid UTF-8 as CP437, as Python does',
    async () => {
      // "café" and "Ñandú" as a DOS machine wrote them: 0x82 is é, 0xA5 is Ñ and 0xA3 is ú in CP437. unzip writes
      // such bytes as they are (an invalid name on a UTF-8 system), so Python's reading is the reference here.
      const raw = [
        Buffer.from([0x63, 0x61, 0x66, 0x82, 0x2e, 0x74, 0x78, 0x74]),
        Buffer.from('\xa5and\xa3.json', 'latin1'),
      ];
      const src = await sourceTree('cp437', raw);
      const zipPath = join(dir, 'cp437', 'dos.zip');
      run('zip', ['-qr', zipPath, '.'], src);
      const expected = pythonNames(zipPath);
      expect(expected).toEqual(['caf\u00e9.txt', '\u00d1and\u00fa.json'].sort());
      const folder = join(dir, 'cp437', 'ours');
      await extractZipSafely(zipPath, folder);
      expect(await filesUnder(folder)).toEqual(expected);
      // The bytes are those of the source file, whose name on disk is the raw CP437 bytes.
      const source = Buffer.concat([Buffer.from(`${src}/`), raw[0] ?? Buffer.alloc(0)]);
      expect(await readFile(join(folder, 'caf\u00e9.txt'))).toEqual(await readFile(source));
    },
  );

  it.skipIf(!has.sevenZip || !has.python)(
    'extracts 7-Zip’s flagged UTF-8 names and bytes as 7z x does',
    async () => {
      const src = await sourceTree('seven', NAMES);
      const zipPath = join(dir, 'seven', 'seven.zip');
      run('7z', ['a', '-tzip', '-bd', '-bso0', zipPath, '.'], src);
      // 7-Zip flags the names that are not plain ASCII as UTF-8.
      expect(pythonFlags(zipPath).some((flags) => (flags & 0x800) !== 0)).toBe(true);
      const reference = await toolTree('seven', '7z', (out) => ['x', '-bd', '-bso0', `-o${out}`, zipPath]);
      expect(Object.keys(reference).sort()).toEqual([...NAMES].sort());
      expect(await ourTree(zipPath, 'seven')).toEqual(reference);
    },
  );

  it.skipIf(!has.python || !has.zip)('extracts Python zipfile’s names and bytes as unzip does', async () => {
    const zipPath = join(dir, 'python.zip');
    const script =
      'import json,sys,zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n' +
      '  for n in json.loads(sys.argv[2]): z.writestr(n, n * 500)';
    run('python3', ['-c', script, zipPath, JSON.stringify(NAMES)], dir);
    expect(pythonNames(zipPath)).toEqual([...NAMES].sort());
    const reference = await toolTree('python', 'unzip', (out) => ['-q', zipPath, '-d', out]);
    expect(Object.keys(reference).sort()).toEqual([...NAMES].sort());
    expect(await ourTree(zipPath, 'python')).toEqual(reference);
  });

  it.skipIf(!has.zip || !has.python)(
    'names the bzip2 method of an Info-ZIP `zip -Z bzip2` entry',
    async () => {
      const src = await resultsFile('zip-bzip2');
      const zipPath = join(dir, 'zip-bzip2', 'export.zip');
      run('zip', ['-q', '-Z', 'bzip2', zipPath, 'results.json'], src);
      expect(pythonMethod(zipPath)).toBe(12);
      const error = await refusal(zipPath, join(dir, 'zip-bzip2', 'out'));
      expect(error.message).toBe(
        'refusing to extract export.zip: entry "results.json" is compressed with bzip2, which this app cannot extract; re-create the export or extract it with 7-Zip; nothing was extracted',
      );
    },
  );

  it.skipIf(!has.sevenZip || !has.python).each([
    ['BZip2', 12, 'bzip2'],
    ['Deflate64', 9, 'Deflate64'],
  ])('names the method of a 7-Zip %s entry, and 7-Zip extracts it as advised', async (flag, method, name) => {
    const src = await resultsFile(`method-${flag}`);
    const zipPath = join(dir, `method-${flag}`, 'export.zip');
    run('7z', ['a', '-tzip', `-mm=${flag}`, '-bd', '-bso0', zipPath, 'results.json'], src);
    expect(pythonMethod(zipPath)).toBe(method);
    const error = await refusal(zipPath, join(dir, `method-${flag}`, 'out'));
    expect(error.message).toBe(
      `refusing to extract export.zip: entry "results.json" is compressed with ${name}, which this app cannot extract; re-create the export or extract it with 7-Zip; nothing was extracted`,
    );
    const byTool = await toolTree(`method-${flag}`, '7z', (out) => [
      'x',
      '-bd',
      '-bso0',
      `-o${out}`,
      zipPath,
    ]);
    expect(byTool).toEqual(await treeOf(src));
  });

  it.skipIf(!has.zip || !has.python)(
    'refuses a bomb Info-ZIP made from a stream of zeros, by its ratio, writing nothing',
    async () => {
      const bombDir = join(dir, 'bomb');
      await mkdir(bombDir);
      const zipPath = join(bombDir, 'bomb.zip');
      // 64 MiB of zeros deflate to about 64 KiB: a 1000:1 entry, far under the 16 GiB cap.
      await zeros(join(bombDir, 'zeros.bin'), 64 * 1024 * 1024);
      run('zip', ['-q', '-m', zipPath, 'zeros.bin'], bombDir);
      const [[compressed, size]] = pythonSizes(zipPath) as [[number, number]];
      expect(size / compressed).toBeGreaterThan(900);
      const error = await extractZipSafely(zipPath, join(bombDir, 'out')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'archive-too-large' });
      expect((error as Error).message).toBe(
        `refusing to extract bomb.zip: entry "zeros.bin" expands ${Math.round(size / compressed)} times (${compressed} bytes to ${size}), more than the 100 times a real file does; nothing was extracted`,
      );
      expect(await readdir(bombDir)).toEqual(['bomb.zip']);
    },
  );

  it.skipIf(!has.zip || !has.python)(
    'refuses a bomb spread over many entries, each small enough to pass alone, by the ratio of the whole',
    async () => {
      const bombDir = join(dir, 'spread');
      await mkdir(bombDir);
      const zipPath = join(bombDir, 'spread.zip');
      // 24 entries of 1 MiB of zeros: none is past the 8 MiB below which an entry's ratio is not checked.
      const names = Array.from({ length: 24 }, (_, i) => `r${i}/zeros.bin`);
      for (const name of names) {
        await mkdir(join(bombDir, name, '..'), { recursive: true });
        await zeros(join(bombDir, name), 1024 * 1024);
      }
      run('zip', ['-q', '-r', '-m', zipPath, ...names], bombDir);
      const sizes = pythonSizes(zipPath).filter(([, size]) => size > 0);
      expect(sizes).toHaveLength(24);
      // The total the extractor has read when it stops: the first entries whose sum passes 8 MiB.
      let compressed = 0;
      let size = 0;
      for (const [c, s] of sizes) {
        compressed += c;
        size += s;
        if (size > 8 * 1024 * 1024) break;
      }
      const error = await extractZipSafely(zipPath, join(bombDir, 'out')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'archive-too-large' });
      expect((error as Error).message).toBe(
        `refusing to extract spread.zip: the archive as a whole expands ${Math.round(size / compressed)} times (${compressed} bytes to ${size}), more than the 100 times a real file does; nothing was extracted`,
      );
      expect(existsSync(join(bombDir, 'out'))).toBe(false);
    },
  );

  it.skipIf(!has.zip)(
    'stops a bomb whose header understates its size while it inflates, writing nothing',
    async () => {
      const bombDir = join(dir, 'liar');
      await mkdir(bombDir);
      const zipPath = join(bombDir, 'liar.zip');
      await zeros(join(bombDir, 'zeros.bin'), 64 * 1024 * 1024);
      run('zip', ['-q', '-m', zipPath, 'zeros.bin'], bombDir);
      // Declare 1 MiB instead of 64 in the local header and the central directory: the ratio looks harmless.
      const archive = await readFile(zipPath);
      const central = archive.readUInt32LE(archive.length - 22 + 16);
      const local = archive.readUInt32LE(central + 42);
      archive.writeUInt32LE(1024 * 1024, central + 24);
      archive.writeUInt32LE(1024 * 1024, local + 22);
      await writeFile(zipPath, archive);
      const error = await extractZipSafely(zipPath, join(bombDir, 'out')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExportError);
      expect((error as Error).message).toMatch(
        /^(refusing to|cannot) extract liar\.zip: entry "zeros\.bin" (holds more|is damaged: it holds a different number of) bytes than it declares; nothing was extracted$/,
      );
      expect(await readdir(bombDir)).toEqual(['liar.zip']);
    },
  );
});

/**
 * Damaged archives made from a real Info-ZIP archive: its end cut off, its table of contents or an entry's local
 * header overwritten, an entry's compressed bytes altered. `unzip -t` confirms each is damaged; the extractor must
 * then say so in plain words naming the entry (never yauzl's or zlib's own message) and write nothing. Skipped,
 * saying so, where Info-ZIP or Python is missing.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../../../main/exports/export-errors.ts';
import { extractZipSafely } from '../../../../main/exports/safe-extract.ts';
import { attempt, has, reportMissingTools, run } from '../../../fixtures/zips/archivers.ts';

reportMissingTools('zip-damaged');

let dir: string;
let archive: Buffer;
/** Where results.json's local header starts, as Python reads the central directory. */
let headerOffset: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zip-damaged-'));
  if (!has.zip || !has.python) return;
  const src = join(dir, 'src');
  await mkdir(join(src, 'r1'), { recursive: true });
  await writeFile(join(src, 'r1', 'results.json'), '{"label":"cat","score":0.25}\n'.repeat(4000));
  await writeFile(join(src, 'r1', 'notes.txt'), 'a note\n'.repeat(100));
  run('zip', ['-qr', join(dir, 'good.zip'), 'r1'], src);
  archive = await readFile(join(dir, 'good.zip'));
  const script =
    'import sys,zipfile\nprint(zipfile.ZipFile(sys.argv[1]).getinfo("r1/results.json").header_offset)';
  headerOffset = Number(
    run('python3', ['-c', script, join(dir, 'good.zip')], dir)
      .toString()
      .trim(),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the damaged copy into a folder of its own; `unzip -t` must find it damaged. */
async function damaged(name: string, bytes: Buffer): Promise<{ zipPath: string; folder: string }> {
  const folder = join(dir, name);
  await mkdir(folder);
  const zipPath = join(folder, `${name}.zip`);
  await writeFile(zipPath, bytes);
  expect(attempt('unzip', ['-tq', zipPath], folder).status).not.toBe(0);
  return { zipPath, folder };
}

async function failure(zipPath: string, folder: string): Promise<string> {
  const error = await extractZipSafely(zipPath, join(folder, 'out')).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExportError);
  expect((await readdir(folder)).filter((entry) => !entry.endsWith('.zip'))).toEqual([]);
  return (error as Error).message;
}

describe.skipIf(!has.zip || !has.python)('damaged Info-ZIP archives', () => {
  it('says an archive whose end is cut off is not a zip or lost its end', async () => {
    const { zipPath, folder } = await damaged('cut', archive.subarray(0, archive.length - 30));
    expect(await failure(zipPath, folder)).toBe(
      'cannot extract cut.zip: it is not a zip archive, or its end is missing; nothing was extracted',
    );
  });

  it('says an archive whose table of contents is overwritten is damaged', async () => {
    const bytes = Buffer.from(archive);
    const directory = bytes.readUInt32LE(bytes.length - 22 + 16);
    bytes.write('XXXX', directory, 'latin1');
    const { zipPath, folder } = await damaged('toc', bytes);
    expect(await failure(zipPath, folder)).toBe(
      'cannot extract toc.zip: it is damaged: its table of contents cannot be read; nothing was extracted',
    );
  });

  it('names the entry whose local header is overwritten', async () => {
    const bytes = Buffer.from(archive);
    bytes.write('XXXX', headerOffset, 'latin1');
    const { zipPath, folder } = await damaged('local', bytes);
    expect(await failure(zipPath, folder)).toBe(
      'cannot extract local.zip: entry "r1/results.json" is damaged: its data cannot be found in the archive; nothing was extracted',
    );
  });

  it('names the entry whose compressed bytes are altered', async () => {
    const bytes = Buffer.from(archive);
    const dataStart =
      headerOffset + 30 + bytes.readUInt16LE(headerOffset + 26) + bytes.readUInt16LE(headerOffset + 28);
    const compressed = bytes.readUInt32LE(headerOffset + 18);
    for (
      let at = dataStart + Math.floor(compressed / 2);
      at < dataStart + Math.floor(compressed / 2) + 8;
      at++
    ) {
      bytes[at] = (bytes[at] ?? 0) ^ 0xa5;
    }
    const { zipPath, folder } = await damaged('data', bytes);
    // Which check notices first (zlib's stream, the entry's size or its CRC-32) depends on the bytes; all are
    // said plainly, naming the entry.
    const entry = 'entry "r1/results.json"';
    expect([
      `cannot extract data.zip: ${entry} is damaged: its compressed data is corrupt; nothing was extracted`,
      `cannot extract data.zip: ${entry} is damaged: it holds a different number of bytes than it declares; nothing was extracted`,
      `data.zip is corrupt: ${entry} fails its check`,
    ]).toContain(await failure(zipPath, folder));
  });
});

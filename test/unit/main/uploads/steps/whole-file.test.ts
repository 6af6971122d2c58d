import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyContent, classifyFile } from '../../../../../main/uploads/intake/classify.ts';
import {
  CHANGED_SINCE_QUEUED,
  readWholeFile,
  readsWhole,
  WHOLE_READ_MAX_BYTES,
} from '../../../../../main/uploads/steps/whole-file.ts';

const MEDIA = join(import.meta.dirname, '../../../../fixtures/media');

describe('a small file read whole', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'whole-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const queued = (path: string) => {
    const stats = statSync(path);
    return { path, size: stats.size, mtimeMs: stats.mtimeMs };
  };

  it('reads up to the limit whole; larger and empty files are streamed', () => {
    expect(readsWhole(1)).toBe(true);
    expect(readsWhole(WHOLE_READ_MAX_BYTES)).toBe(true);
    expect(readsWhole(WHOLE_READ_MAX_BYTES + 1)).toBe(false);
    expect(readsWhole(0)).toBe(false);
  });

  it('gives the file’s bytes and their MD5 as md5sum computes it', async () => {
    const path = join(dir, 'a.jpg');
    writeFileSync(path, Buffer.from(Array.from({ length: 70_001 }, (_, i) => (i * 7) % 251)));
    const read = await readWholeFile(queued(path));
    if ('problem' in read) throw new Error(read.problem);
    expect(read.bytes.equals(readFileSync(path))).toBe(true);
    const md5sum = execFileSync('md5sum', [path], { encoding: 'utf8' }).split(' ')[0];
    expect(read.md5()).toBe(md5sum);
  });

  it('refuses a file no longer as queued: grown, shrunk, touched, or gone', async () => {
    const path = join(dir, 'b.jpg');
    writeFileSync(path, Buffer.alloc(1000, 1));
    const asQueued = queued(path);
    appendFileSync(path, Buffer.alloc(10, 2));
    expect(await readWholeFile(asQueued)).toEqual({ problem: CHANGED_SINCE_QUEUED });
    writeFileSync(path, Buffer.alloc(990, 1));
    expect(await readWholeFile(asQueued)).toEqual({ problem: CHANGED_SINCE_QUEUED });
    writeFileSync(path, Buffer.alloc(1000, 3));
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    expect(await readWholeFile(asQueued)).toEqual({ problem: CHANGED_SINCE_QUEUED });
    rmSync(path);
    expect(await readWholeFile(asQueued)).toEqual({ problem: 'vanished: it no longer exists' });
  });

  it('classifies bytes in memory exactly as it classifies the file on disk', async () => {
    const texts: [string, Buffer][] = [
      ['utf16.txt', Buffer.from('\ufeffhello', 'utf16le')],
      ['nul.txt', Buffer.from([0x61, 0x00, 0x62])],
      ['bad.txt', Buffer.from([0x61, 0xc3, 0x28])],
      ['cut.txt', Buffer.from([0x61, 0xe2, 0x82])],
      ['fine.txt', Buffer.from('plain words, and a café')],
      ['png.txt', readFileSync(join(MEDIA, 'image-16x12.png'))],
      ['none', Buffer.from('x')],
    ];
    for (const [name, bytes] of texts) writeFileSync(join(dir, name), bytes);
    const paths = [
      ...readdirSync(MEDIA).map((name) => join(MEDIA, name)),
      ...texts.map(([name]) => join(dir, name)),
    ];
    const verdicts = new Set<string>();
    for (const path of paths) {
      const onDisk = await classifyFile(path, statSync(path).size);
      expect(classifyContent(path, readFileSync(path)), path).toEqual(onDisk);
      verdicts.add(JSON.stringify(onDisk));
    }
    // The comparison covers kinds taken and each way of being left out, not one verdict many times.
    expect(verdicts.size).toBeGreaterThan(10);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  downloadResumable,
  parseContentRange,
  parseEtag,
} from '../../../../main/exports/resumable-download.ts';
import type { DownloadEvent } from '../../../../main/exports/resumable-download.ts';
import { DownloadError } from '../../../../main/exports/export-errors.ts';
import { startStorage } from './local-storage.ts';
import type { Storage } from './local-storage.ts';

let dir: string;
let storage: Storage;
const data = randomBytes(300_000);
const noWait = async (): Promise<void> => undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'download-test-'));
  storage = await startStorage(data);
});

afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

function linkSource(): { getUrl: () => Promise<string>; issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    getUrl: async () => {
      const token = `t${issued.length}`;
      issued.push(token);
      return storage.url(token);
    },
  };
}

describe('downloadResumable', () => {
  it('resumes after each cut with a fresh link and Range, fetching only the remainder', async () => {
    storage.cuts.push(50_000, 70_000, 1);
    const links = linkSource();
    const events: DownloadEvent[] = [];
    const result = await downloadResumable({
      getUrl: links.getUrl,
      partPath: join(dir, 'file.zip.part'),
      targetPath: join(dir, 'file.zip'),
      onEvent: (event) => events.push(event),
      sleep: noWait,
    });
    expect(await readFile(join(dir, 'file.zip'))).toEqual(data);
    expect(existsSync(join(dir, 'file.zip.part'))).toBe(false);
    expect(result).toMatchObject({ bytes: data.length, md5: storage.md5, etagVerified: true, resumes: 3 });
    expect(links.issued).toHaveLength(4);
    expect(storage.requests.map((r) => r.headers.range)).toEqual([
      undefined,
      'bytes=50000-',
      'bytes=120000-',
      'bytes=120001-',
    ]);
    // Every byte crossed the wire exactly once.
    expect(storage.requests.reduce((sum, r) => sum + r.bytes, 0)).toBe(data.length);
    expect(events.filter((e) => e.type === 'interrupted')).toHaveLength(3);
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last).toMatchObject({ bytes: data.length, totalBytes: data.length });
  });

  it('never sends Alegion credentials or auth headers to storage', async () => {
    const links = linkSource();
    await downloadResumable({
      getUrl: links.getUrl,
      partPath: join(dir, 'f.part'),
      targetPath: join(dir, 'f'),
      sleep: noWait,
    });
    for (const request of storage.requests) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(request.headers.cookie).toBeUndefined();
    }
  });

  it('treats a 403 expired link as a reason to ask for a new one', async () => {
    storage.expired.add('t0');
    storage.expired.add('t1');
    const links = linkSource();
    const result = await downloadResumable({
      getUrl: links.getUrl,
      partPath: join(dir, 'f.part'),
      targetPath: join(dir, 'f'),
      sleep: noWait,
    });
    expect(result.md5).toBe(storage.md5);
    expect(storage.requests.map((r) => r.status)).toEqual([403, 403, 200]);
  });

  it('restarts cleanly from zero when storage answers 200 to a Range request', async () => {
    storage.cuts.push(100_000);
    storage.ignoreRange = true;
    const events: DownloadEvent[] = [];
    const result = await downloadResumable({
      getUrl: linkSource().getUrl,
      partPath: join(dir, 'f.part'),
      targetPath: join(dir, 'f'),
      onEvent: (event) => events.push(event),
      sleep: noWait,
    });
    expect(await readFile(join(dir, 'f'))).toEqual(data);
    expect(result.md5).toBe(storage.md5);
    expect(storage.requests[1]?.headers.range).toBe('bytes=100000-');
    expect(events.some((e) => e.type === 'restart')).toBe(true);
  });

  it('continues a .part left by an earlier process, hashing its prefix first', async () => {
    const part = join(dir, 'f.part');
    await writeFile(part, data.subarray(0, 123_456));
    const result = await downloadResumable({
      getUrl: linkSource().getUrl,
      partPath: part,
      targetPath: join(dir, 'f'),
      resume: { etag: storage.md5, totalBytes: data.length },
      sleep: noWait,
    });
    expect(result.md5).toBe(storage.md5);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]?.headers.range).toBe('bytes=123456-');
    expect(storage.requests[0]?.headers['if-range']).toBe(`"${storage.md5}"`);
    expect(storage.requests[0]?.bytes).toBe(data.length - 123_456);
  });

  it('does not trust a .part nobody recorded: it starts over', async () => {
    const part = join(dir, 'f.part');
    await writeFile(part, Buffer.alloc(1000, 7));
    const result = await downloadResumable({
      getUrl: linkSource().getUrl,
      partPath: part,
      targetPath: join(dir, 'f'),
      sleep: noWait,
    });
    expect(result.md5).toBe(storage.md5);
    expect(storage.requests[0]?.headers.range).toBeUndefined();
  });

  it('restarts when the file in storage changed between attempts (ETag differs)', async () => {
    const part = join(dir, 'f.part');
    await writeFile(part, data.subarray(0, 1000));
    await downloadResumable({
      getUrl: linkSource().getUrl,
      partPath: part,
      targetPath: join(dir, 'f'),
      resume: { etag: '0123456789abcdef0123456789abcdef', totalBytes: data.length },
      sleep: noWait,
    });
    expect(await readFile(join(dir, 'f'))).toEqual(data);
    expect(storage.requests.map((r) => r.headers.range)).toEqual(['bytes=1000-', undefined]);
  });

  it('refuses to name a file whose bytes do not match the MD5 ETag', async () => {
    storage.etag = '0123456789abcdef0123456789abcdef';
    const attempt = downloadResumable({
      getUrl: linkSource().getUrl,
      partPath: join(dir, 'f.part'),
      targetPath: join(dir, 'f'),
      sleep: noWait,
    });
    await expect(attempt).rejects.toThrow(/does not match the storage ETag/);
    await expect(attempt).rejects.toBeInstanceOf(DownloadError);
    expect(existsSync(join(dir, 'f'))).toBe(false);
  });

  it('gives up after attempts that bring nothing, keeping the .part and no signed query in the message', async () => {
    for (let i = 0; i < 10; i++) storage.expired.add(`t${i}`);
    const error = await downloadResumable({
      getUrl: linkSource().getUrl,
      partPath: join(dir, 'f.part'),
      targetPath: join(dir, 'f'),
      maxAttemptsWithoutProgress: 3,
      sleep: noWait,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/gave up after 3 attempts/);
    expect((error as DownloadError).message).not.toContain('sig=');
    expect(existsSync(join(dir, 'f'))).toBe(false);
  });

  it('stops on cancel and keeps the partial file', async () => {
    storage.cuts.push(100_000);
    const controller = new AbortController();
    const part = join(dir, 'f.part');
    const attempt = downloadResumable({
      getUrl: linkSource().getUrl,
      partPath: part,
      targetPath: join(dir, 'f'),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'interrupted') controller.abort();
      },
      sleep: noWait,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'canceled' });
    expect((await readFile(part)).length).toBe(100_000);
  });
});

describe('header parsing', () => {
  it('reads ETags and Content-Range as storage sends them', () => {
    expect(parseEtag('"abc"')).toBe('abc');
    expect(parseEtag('W/"abc"')).toBe('abc');
    expect(parseEtag(undefined)).toBeUndefined();
    expect(parseContentRange('bytes 10-99/100')).toEqual({ start: 10, end: 99, total: 100 });
    expect(parseContentRange('bytes 10-99/*')).toEqual({ start: 10, end: 99, total: undefined });
    expect(parseContentRange('items 1-2/3')).toBeUndefined();
  });
});

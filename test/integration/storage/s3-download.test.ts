/**
 * The export download (main/exports/resumable-download.ts) against a real S3 implementation: s3rver serves an
 * export zip through GET links signed by the AWS SDK's SigV4 presigner or by the SigV2 presigner of the test
 * support, under a key with odd characters. The file must arrive byte for byte with its ETag checked, a `.part`
 * must be continued with a Range request s3rver answers, an expired link must be replaced by a fresh one, and a
 * link s3rver refuses for another reason must be reported in s3rver's words.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError } from '../../../main/exports/export-errors.ts';
import { downloadResumable } from '../../../main/exports/resumable-download.ts';
import type { DownloadEvent } from '../../../main/exports/resumable-download.ts';
import { startS3 } from '../../support/s3-storage.ts';
import type { LinkOptions, S3Storage } from '../../support/s3-storage.ts';

const KEY = "domain-object/record-result-export/odd ~_-+'!=%2F é/export 1.zip";
const data = randomBytes(3 * 1024 * 1024 + 11);
let s3: S3Storage;
let dir: string;

beforeAll(async () => {
  s3 = await startS3();
  await s3.write(KEY, data);
  dir = await mkdtemp(join(tmpdir(), 's3-download-'));
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

/** A link source that signs each link with the next options given (the last one repeats), counting them. */
function links(...options: LinkOptions[]): { getUrl: () => Promise<string>; issued: () => number } {
  let issued = 0;
  return {
    getUrl: () => s3.link('GET', KEY, options[Math.min(issued++, options.length - 1)] as LinkOptions),
    issued: () => issued,
  };
}

const noWait = async (): Promise<void> => undefined;

describe.each(['v4', 'v2'] as const)('export download from s3rver through %s links', (signer) => {
  it('brings the file byte for byte and checks it against the ETag', async () => {
    const source = links({ signer });
    const target = join(dir, `${signer}-whole.zip`);
    const result = await downloadResumable({
      getUrl: source.getUrl,
      partPath: `${target}.part`,
      targetPath: target,
    });
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(result).toMatchObject({ bytes: data.length, etagVerified: true, requests: 1, resumes: 0 });
    expect(result.etag).toBe((await s3.read(KEY))?.etag);
  });

  it('continues a .part where it ends, with a Range request s3rver answers', async () => {
    const target = join(dir, `${signer}-resumed.zip`);
    const prefix = 1024 * 1024 + 3;
    await writeFile(`${target}.part`, data.subarray(0, prefix));
    const { etag } = (await s3.read(KEY)) ?? {};
    const events: DownloadEvent[] = [];
    const result = await downloadResumable({
      getUrl: links({ signer }).getUrl,
      partPath: `${target}.part`,
      targetPath: target,
      resume: { etag, totalBytes: data.length },
      onEvent: (event) => events.push(event),
    });
    expect(events[0]).toEqual({ type: 'start', fromBytes: prefix, totalBytes: data.length });
    expect(events.some((event) => event.type === 'restart')).toBe(false);
    expect(result).toMatchObject({ bytes: data.length, etagVerified: true, requests: 1, resumes: 1 });
    expect((await readFile(target)).equals(data)).toBe(true);
  });

  it('replaces an expired link with a fresh one', async () => {
    const source = links({ signer, ttlSeconds: -60 }, { signer });
    const target = join(dir, `${signer}-expired.zip`);
    const events: DownloadEvent[] = [];
    await downloadResumable({
      getUrl: source.getUrl,
      partPath: `${target}.part`,
      targetPath: target,
      onEvent: (event) => events.push(event),
      sleep: noWait,
    });
    expect(source.issued()).toBe(2);
    expect(events.flatMap((event) => (event.type === 'interrupted' ? [event.reason] : []))).toEqual([
      'the download link expired',
    ]);
    expect((await readFile(target)).equals(data)).toBe(true);
  });
});

describe('a SigV2 download link whose signature covers its query', () => {
  it('holds when the GET sends the query byte for byte: a literal + (a space) beside %2B, %3D, ~ and !', async () => {
    const disposition = 'attachment; filename="export a+b ~\'!=.zip"';
    const source = links({ signer: 'v2', disposition });
    expect(await source.getUrl()).toContain(
      "response-content-disposition=attachment%3B+filename%3D%22export+a%2Bb+~'!%3D.zip%22",
    );
    const target = join(dir, 'signed-query.zip');
    const result = await downloadResumable({
      getUrl: source.getUrl,
      partPath: `${target}.part`,
      targetPath: target,
    });
    expect(result).toMatchObject({ bytes: data.length, etagVerified: true, requests: 1 });
    expect((await readFile(target)).equals(data)).toBe(true);
  });
});

describe('a download link s3rver refuses for a reason other than expiry', () => {
  it('is reported in s3rver’s words (SigV2 signed for a Content-Type the GET does not send)', async () => {
    const source = links({ signer: 'v2', contentType: 'application/zip' });
    const target = join(dir, 'refused.zip');
    const events: DownloadEvent[] = [];
    const error = await downloadResumable({
      getUrl: source.getUrl,
      partPath: `${target}.part`,
      targetPath: target,
      maxAttemptsWithoutProgress: 3,
      onEvent: (event) => events.push(event),
      sleep: noWait,
    }).catch((e: unknown) => e);
    const words =
      'the storage refused the download link: The request signature we calculated does not match the signature you provided. Check your key and signing method (SignatureDoesNotMatch)';
    expect(events.flatMap((event) => (event.type === 'interrupted' ? [event.reason] : []))).toEqual([
      words,
      words,
      words,
    ]);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toBe(
      `download gave up after 3 attempts without progress at 0 bytes (${words}); rerun to resume`,
    );
    expect((error as Error).message).not.toMatch(/Signature=|AWSAccessKeyId/);
    expect(existsSync(target)).toBe(false);
  });
});

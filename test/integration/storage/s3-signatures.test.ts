/**
 * What the storage tests' S3 checks, shown with curl (an HTTP client independent of ours): s3rver verifies SigV2
 * query signatures itself, and the check in front of it (test/support/sigv4-verify.ts) verifies SigV4 ones. Links
 * from the AWS SDK's presigner and from the SigV2 presigner are accepted as they are, and refused with S3's
 * SignatureDoesNotMatch once their signature, key or method is changed, or when a signed Content-Type is missing.
 * Skipped, saying so, where curl is missing.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useS3 } from '../../support/s3-storage.ts';

const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasCurl) console.log('s3-signatures: curl is not installed, so these tests are skipped');

const run = promisify(execFile);
const { s3 } = useS3({ signer: 'v4', keyFor: (file) => file.id });
const KEY = "checks/odd ~_-+'!=%2F é/file.bin";
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3-signatures-'));
  file = join(dir, 'file.bin');
  await writeFile(file, 'the bytes of the file');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** curl's PUT of the file (as the tutorial's `curl --upload-file`), extra headers given: status and S3 error code. */
async function curlPut(
  url: string,
  headers: string[] = [],
): Promise<{ status: number; code: string | undefined }> {
  const args = [
    '-s',
    '-g',
    '-o',
    '-',
    '-w',
    '\n%{http_code}',
    '--upload-file',
    file,
    ...headers.flatMap((h) => ['-H', h]),
  ];
  const { stdout } = await run('curl', [...args, url]);
  const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
  return { status, code: /<Code>([^<]+)<\/Code>/.exec(stdout)?.[1] };
}

/** The link with the first character of its signature (SigV4 hex or SigV2 base64) changed. */
function tampered(url: string): string {
  return url.replace(
    /([?&](?:X-Amz-Signature|Signature)=)(.)/,
    (_, name: string, first: string) => `${name}${first === 'a' ? 'b' : 'a'}`,
  );
}

describe.skipIf(!hasCurl).each(['v4', 'v2'] as const)('%s links', (signer) => {
  it('are accepted as issued, and the bytes arrive', async () => {
    const url = await s3().link('PUT', KEY, { signer });
    expect(await curlPut(url)).toEqual({ status: 200, code: undefined });
    expect((await s3().read(KEY))?.bytes.toString()).toBe('the bytes of the file');
  });

  it('are refused with SignatureDoesNotMatch once the signature or the key is changed', async () => {
    const url = await s3().link('PUT', KEY, { signer });
    expect(tampered(url)).not.toBe(url);
    expect(await curlPut(tampered(url))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await curlPut(url.replace('file.bin', 'other.bin'))).toEqual({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('that sign a Content-Type are refused without it and accepted with it', async () => {
    const url = await s3().link('PUT', KEY, { signer, contentType: 'image/png' });
    // curl --upload-file sends no Content-Type, like the app.
    expect(await curlPut(url)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await curlPut(url, ['Content-Type: image/png'])).toEqual({ status: 200, code: undefined });
  });

  it('that expired are refused with the storage’s AccessDenied', async () => {
    const url = await s3().link('PUT', KEY, { signer, ttlSeconds: -60 });
    expect(await curlPut(url)).toEqual({ status: 403, code: 'AccessDenied' });
  });
});

/**
 * The upload engine against a real S3 implementation: the sandbox's upload sessions hand out links to s3rver,
 * signed by the AWS SDK's SigV4 presigner or by a SigV2 presigner written from the S3 documentation, and the
 * engine's own PUT (main/uploads/steps/upload-step.ts through the client's signed-URL PUT) sends the files. What s3rver
 * stored is read back with the S3 client and compared byte for byte with the files. Keys hold `~ _ - + ' !`, a
 * space, an accent and a literal `%2F`; the queries hold `%2F`, `%2B` and `%3D`, and a SigV2 query signs a
 * `response-content-disposition` written with a literal `+` for a space beside `%2B` for a plus. s3rver verifies
 * SigV2 signatures itself; SigV4 signatures are verified in front of it (test/support/sigv4-verify.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useS3 } from '../../support/s3-storage.ts';
import type { SessionLinks, Signer } from '../../support/s3-storage.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir } from '../uploads/helpers.ts';

const links: SessionLinks = {
  signer: 'v4',
  keyFor: (asset) => `tenant-assets/odd ~_-+'!=%2F é/${asset.id}/${asset.fileName ?? 'file'}`,
};
const { s3, storage } = useS3(links);
const sandbox = useSandbox({ labelers: false, seed: 41, externalStorage: { uploads: storage.uploads } });

/** PNG-looking files with odd names, of the given sizes (random bytes after the signature). */
function writeFiles(sizes: readonly number[]): string {
  const folder = join(tempDir('s3-files-'), 'files');
  mkdirSync(folder, { recursive: true });
  sizes.forEach((size, index) => {
    const body = randomBytes(size);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(body, 0);
    writeFileSync(join(folder, `scan ${index} ~_-+'!é.png`), body);
  });
  return folder;
}

/** Uploads the folder through the engine; returns the items as the queue lists them once settled. */
async function upload(folder: string, batch: string) {
  const { service, client } = serviceFor(sandbox(), tempDir('s3-state-'));
  service.start();
  try {
    await service.addPaths([folder], {
      workflowId: SANDBOX_WORKFLOWS.image,
      newBatch: { name: batch, isEnabled: false },
    });
    await settled(service);
    return service.list({}).items;
  } finally {
    await service.stop();
    client.close();
  }
}

function setLinks(signer: Signer, extra: Partial<SessionLinks> = {}): void {
  links.signer = signer;
  delete links.contentType;
  delete links.disposition;
  delete links.ttlSeconds;
  delete links.ttlQueue;
  Object.assign(links, extra);
  storage.issued.length = 0;
}

describe.each(['v4', 'v2'] as const)('uploads to s3rver through %s links', (signer) => {
  it('stores each file byte for byte under a key with odd characters', async () => {
    setLinks(signer);
    // One file large enough to be read and hashed in the worker, two small ones hashed on the main thread.
    const folder = writeFiles([5 * 1024 * 1024 + 7, 2048, 100]);
    const items = await upload(folder, `${signer}-plain`);
    expect(items.map((item) => [item.state, item.error])).toEqual([
      ['done', null],
      ['done', null],
      ['done', null],
    ]);
    for (const item of items) {
      const key = storage.keys.get(item.assetId ?? '');
      expect(key).toContain(`/${item.assetId}/`);
      const stored = await s3().read(key ?? '');
      const file = readFileSync(join(folder, item.name));
      expect(stored?.bytes.equals(file)).toBe(true);
      expect(stored?.etag).toBe(createHash('md5').update(file).digest('hex'));
    }
    expect(storage.issued).toHaveLength(3);
    for (const url of storage.issued) {
      // The key's literal "%2F" arrives as such (encoded once more in the path), and the query's escapes survive.
      expect(url).toContain('%252F');
      expect(url).toMatch(signer === 'v4' ? /X-Amz-Credential=S3RVER%2F/ : /Signature=[^&]*%3D$/);
    }
  });

  it('opens one fresh session when a link has expired, and the file arrives', async () => {
    setLinks(signer, { ttlQueue: [-60] });
    const folder = writeFiles([4096]);
    const [item] = await upload(folder, `${signer}-renewed`);
    expect([item?.state, item?.error]).toEqual(['done', null]);
    expect(storage.issued).toHaveLength(2);
    const stored = await s3().read(storage.keys.get(item?.assetId ?? '') ?? '');
    expect(stored?.bytes.equals(readFileSync(join(folder, item?.name ?? '')))).toBe(true);
  });

  it('fails the item with the storage’s words when a fresh link is expired too', async () => {
    setLinks(signer, { ttlSeconds: -60 });
    const [item] = await upload(writeFiles([4096]), `${signer}-expired`);
    expect([item?.state, item?.error]).toEqual([
      'failed',
      'the storage refused a freshly issued upload link: Request has expired (AccessDenied)',
    ]);
    expect(storage.issued).toHaveLength(2);
  });
});

describe('a SigV2 link whose signature covers its query', () => {
  it('holds when the PUT sends the query byte for byte: a literal + (a space) beside %2B, %3D, ~ and !', async () => {
    setLinks('v2', { disposition: 'attachment; filename="scan a+b ~\'!=.png"' });
    const folder = writeFiles([4096]);
    const [item] = await upload(folder, 'v2-signed-query');
    const url = storage.issued[0] ?? '';
    expect(url).toContain(
      "response-content-disposition=attachment%3B+filename%3D%22scan+a%2Bb+~'!%3D.png%22",
    );
    expect([item?.state, item?.error]).toEqual(['done', null]);
    const stored = await s3().read(storage.keys.get(item?.assetId ?? '') ?? '');
    expect(stored?.bytes.equals(readFileSync(join(folder, item?.name ?? '')))).toBe(true);
  });
});

describe.each(['v4', 'v2'] as const)(
  'a %s link that signs a Content-Type (the PUT sends none, as curl --upload-file does)',
  (signer) => {
    it('fails the item at once with the storage’s SignatureDoesNotMatch, opening no second session', async () => {
      setLinks(signer, { contentType: 'image/png' });
      const [item] = await upload(writeFiles([4096]), `${signer}-content-type`);
      if (signer === 'v4') expect(storage.issued[0]).toContain('X-Amz-SignedHeaders=content-type%3Bhost');
      expect([item?.state, item?.error]).toEqual([
        'failed',
        'the storage refused the upload: The request signature we calculated does not match the signature you provided. Check your key and signing method (SignatureDoesNotMatch)',
      ]);
      expect(storage.issued).toHaveLength(1);
      expect(await s3().read(storage.keys.get(item?.assetId ?? '') ?? '')).toBeUndefined();
    });
  },
);

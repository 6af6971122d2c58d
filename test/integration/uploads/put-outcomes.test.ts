/**
 * How the engine ends a PUT that cannot succeed, against the sandbox: a file that grows or is rewritten while its
 * bytes are being sent fails as changed while uploading (not as a refusal of the storage), and a storage that
 * refuses every link as expired costs one fresh session, then fails the item with the storage's own words.
 */
import { appendFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 31 });
const target = (name: string) => ({
  workflowId: SANDBOX_WORKFLOWS.image,
  newBatch: { name, isEnabled: false },
});

function rewriteInPlace(path: string, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PUT outcomes', () => {
  it('fails a file that grows, or is rewritten, during its PUT as changed while uploading', async () => {
    const folder = join(tempDir('growing-'), 'files');
    const [growing, rewritten] = writeImages(folder, 2, 600_000);
    // Half a megabyte a second: each PUT takes over a second, time enough to change the file under it.
    const { service, client } = serviceFor(sandbox(), tempDir('state-'), {
      limits: { putConcurrency: 2, bandwidthMBps: 0.5 },
    });
    service.start();
    try {
      await service.addPaths([folder], target('growing'));
      await until(
        () => service.snapshot().active.filter((transfer) => transfer.bytesSent > 0).length === 2,
        'both PUTs under way',
      );
      appendFileSync(growing!, Buffer.alloc(100_000, 9));
      // Rewritten in place, without truncating first: writeFileSync would empty the file for a moment, and a read
      // landing in that moment sees the file end early instead of a same-size rewrite.
      rewriteInPlace(rewritten!, Buffer.alloc(600_000, 3));
      await settled(service);
      const failed = service.list({ groups: ['failed'] }).items.map((item) => [item.name, item.error]);
      expect(failed.sort()).toEqual([
        [
          'img-00000.png',
          'changed while uploading (the file grew past the 600000 bytes it had when the upload began); add it again to upload the new version',
        ],
        [
          'img-00001.png',
          'changed while uploading (its modification time or size differs from when it was queued); add it again to upload the new version',
        ],
      ]);
      expect(sandbox().stats().requestsByRoute['PUT /tenant-assets/sandbox/:assetId']).toBe(2);
    } finally {
      await service.stop();
      client.close();
    }
  });

  it('opens one fresh session for an expired link, then fails the item with the storage words', async () => {
    const folder = join(tempDir('expired-'), 'files');
    writeImages(folder, 1);
    const options = sandbox().options;
    const ttl = options.signedUrlTtl;
    // Links that are expired as they are issued: what a storage with a skewed clock answers every time.
    options.signedUrlTtl = 0;
    const { service, client } = serviceFor(sandbox(), tempDir('state-'));
    const before = { ...sandbox().stats().requestsByRoute };
    service.start();
    try {
      await service.addPaths([folder], target('expired'));
      await settled(service);
      const [item] = service.list({ groups: ['failed'] }).items;
      expect(item?.error).toBe(
        'the storage refused a freshly issued upload link: Request has expired (AccessDenied)',
      );
      const count = (route: string) => (sandbox().stats().requestsByRoute[route] ?? 0) - (before[route] ?? 0);
      expect(count('POST /v1/assets/:assetId/upload')).toBe(2);
      expect(count('PUT /tenant-assets/sandbox/:assetId')).toBe(2);
    } finally {
      options.signedUrlTtl = ttl;
      await service.stop();
      client.close();
    }
  });
});

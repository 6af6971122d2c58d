import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  BadResponseError,
  CanceledError,
  NetworkError,
  RequestRejectedError,
  RequestTimeoutError,
  ServerError,
  SignedUrlExpiredError,
} from '../../../main/alegion/errors.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { clientFor, expectNoSecrets, failureOf } from './helpers.ts';

// Signed URLs live 2 s here, so that an expired one can be shown without waiting an hour.
const sandbox = useSandbox({ labelers: false, signedUrlTtl: 2, seed: 13 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `size` bytes of a repeating pattern, as a stream of 64 KiB chunks (never one buffer of the whole body). */
function patternStream(size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const length = Math.min(65_536, size - sent);
      const chunk = Buffer.alloc(length);
      for (let index = 0; index < length; index++) chunk[index] = (sent + index) % 251;
      sent += length;
      this.push(chunk);
    },
  });
}

function patternMd5(size: number): string {
  const bytes = Buffer.alloc(size);
  for (let index = 0; index < size; index++) bytes[index] = index % 251;
  return createHash('md5').update(bytes).digest('hex');
}

describe('asset upload', () => {
  it('registers, uploads by signed URL (streamed, with progress, ETag = MD5), closes and records the asset', async () => {
    const client = clientFor(sandbox());
    const size = 1_000_000;
    const asset = await client.createAsset({
      name: 'pattern.bin',
      fileName: 'pattern.bin',
      type: 'image',
      source: 'file',
    });
    expect(asset.status).toBe('uploading');
    const session = await client.openUploadSession(asset.id);
    const progress: number[] = [];
    const { etag } = await client.putSignedUrl(session.url, patternStream(size), {
      size,
      onProgress: (sent) => progress.push(sent),
    });
    expect(etag).toBe(patternMd5(size));
    expect(progress.at(-1)).toBe(size);
    expect(progress.length).toBeGreaterThan(2);
    await client.closeUploadSession(asset.id);
    expect((await client.getAsset(asset.id)).status).not.toBe('uploading');
    expect(sandbox().stats().putsCompleted).toBeGreaterThanOrEqual(1);

    const batch = await client.createBatch(SANDBOX_WORKFLOWS.image, { name: 'uploaded' });
    const records = await client.createAssetRecords(batch.id, [asset.id, 'not-an-id']);
    expect(records.created.map((record) => record.assetId)).toEqual([asset.id]);
    expect(records.assetValidationErrors).toEqual([
      expect.objectContaining({ assetId: 'not-an-id', message: 'Invalid UUID string: not-an-id' }),
    ]);
    const named = [];
    for await (const found of client.listAssets({ name: 'pattern.bin' })) named.push(found.id);
    expect(named).toEqual([asset.id]);
    client.close();
  });

  it('reports an expired signed URL (403) as SignedUrlExpiredError, without the URL in the message', async () => {
    const client = clientFor(sandbox());
    const asset = await client.createAsset({ fileName: 'late.bin', type: 'image' });
    const session = await client.openUploadSession(asset.id);
    await sleep(2_200);
    const error = await failureOf(() =>
      client.putSignedUrl(session.url, patternStream(10_000), { size: 10_000 }),
    );
    expect(error).toBeInstanceOf(SignedUrlExpiredError);
    expect(error.message).toBe('the storage link expired; a new one is needed');
    expectNoSecrets(error, [new URL(session.url).search, sandbox().options.apiKey]);
    // A new session gives a fresh URL that works.
    const fresh = await client.openUploadSession(asset.id);
    expect((await client.putSignedUrl(fresh.url, patternStream(10_000), { size: 10_000 })).etag).toBe(
      patternMd5(10_000),
    );
    client.close();
  });

  it('stops a transfer on abort and reports CanceledError', async () => {
    const client = clientFor(sandbox());
    const asset = await client.createAsset({ fileName: 'aborted.bin', type: 'image' });
    const session = await client.openUploadSession(asset.id);
    const controller = new AbortController();
    // A body that never ends: only the abort can finish this transfer.
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(16_384));
      },
    });
    const error = await failureOf(() =>
      client.putSignedUrl(session.url, endless, {
        size: 1_000_000_000,
        signal: controller.signal,
        onProgress: (sent) => {
          if (sent > 100_000) controller.abort();
        },
      }),
    );
    expect(error).toBeInstanceOf(CanceledError);
    expect(endless.destroyed).toBe(true);
    client.close();
  });

  it('passes a failure to read the file through as that file error, not as a network error', async () => {
    const client = clientFor(sandbox());
    const asset = await client.createAsset({ fileName: 'vanished.bin', type: 'image' });
    const session = await client.openUploadSession(asset.id);
    const missing = join(tmpdir(), `alegion-missing-${process.pid}.bin`);
    const error = await failureOf(() =>
      client.putSignedUrl(session.url, createReadStream(missing), { size: 10 }),
    );
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(error).not.toBeInstanceOf(NetworkError);
    client.close();
  });

  it('sends storage neither the API key nor the token, and keeps the signed query out of errors', async () => {
    // A stand-in storage endpoint that records what it receives (the Alegion API itself is the real sandbox).
    const seen: IncomingHttpHeaders[] = [];
    const storage = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { etag: '"0123456789abcdef0123456789abcdef"', 'content-length': 0 });
        res.end();
      });
    });
    await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
    const { port } = storage.address() as AddressInfo;
    const client = clientFor(sandbox());
    await client.verify();
    const url = `http://127.0.0.1:${port}/bucket/key?Signature=very-secret-signature&Expires=1`;
    expect((await client.putSignedUrl(url, patternStream(1_000), { size: 1_000 })).etag).toBe(
      '0123456789abcdef0123456789abcdef',
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.['x-api-key']).toBeUndefined();
    expect(seen[0]?.authorization).toBeUndefined();
    expect(seen[0]?.['content-length']).toBe('1000');
    await new Promise<void>((resolve) => storage.close(() => resolve()));

    const error = await failureOf(() => client.putSignedUrl(url, patternStream(1_000), { size: 1_000 }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`cannot reach 127.0.0.1:${port}`);
    expectNoSecrets(error, ['very-secret-signature']);
    client.close();
  });

  it('maps each storage answer to its typed error: early 403, 5xx, 4xx with its message, no ETag, silence', async () => {
    // A stand-in storage endpoint whose answer depends on the path (the Alegion API itself is the real sandbox).
    const storage = createServer((req, res) => {
      const answer = (status: number, headers: Record<string, string>, body = ''): void => {
        res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      // Refused before the body is read, as a storage does with an expired link.
      if (req.url?.startsWith('/expired')) return answer(403, {});
      if (req.url?.startsWith('/silent')) return void req.resume();
      req.resume();
      req.on('end', () => {
        if (req.url?.startsWith('/broken')) answer(503, {});
        else if (req.url?.startsWith('/refused'))
          answer(400, { 'content-type': 'application/json' }, '{"message":"bad object key"}');
        else answer(200, {});
      });
    });
    await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
    const { port } = storage.address() as AddressInfo;
    const client = clientFor(sandbox(), { timeoutMs: 500 });
    const at = (path: string) => `http://127.0.0.1:${port}/${path}?Signature=very-secret-signature`;
    const size = 4_000_000;
    try {
      const expiredBody = patternStream(size);
      const expired = await failureOf(() => client.putSignedUrl(at('expired'), expiredBody, { size }));
      expect(expired).toBeInstanceOf(SignedUrlExpiredError);
      expect(expiredBody.destroyed).toBe(true);
      const broken = await failureOf(() =>
        client.putSignedUrl(at('broken'), patternStream(1_000), { size: 1_000 }),
      );
      expect(broken).toBeInstanceOf(ServerError);
      const refused = await failureOf(() =>
        client.putSignedUrl(at('refused'), patternStream(1_000), { size: 1_000 }),
      );
      expect(refused).toBeInstanceOf(RequestRejectedError);
      expect(refused.message).toContain('bad object key');
      const noEtag = await failureOf(() =>
        client.putSignedUrl(at('plain'), patternStream(1_000), { size: 1_000 }),
      );
      expect(noEtag).toBeInstanceOf(BadResponseError);
      const silentBody = patternStream(1_000);
      const silent = await failureOf(() => client.putSignedUrl(at('silent'), silentBody, { size: 1_000 }));
      expect(silent).toBeInstanceOf(RequestTimeoutError);
      expect(silentBody.destroyed).toBe(true);
      for (const error of [expired, broken, refused, noEtag, silent])
        expectNoSecrets(error, ['very-secret-signature']);
    } finally {
      client.close();
      storage.closeAllConnections();
      await new Promise<void>((resolve) => storage.close(() => resolve()));
    }
  });
});

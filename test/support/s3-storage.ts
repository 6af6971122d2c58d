/**
 * A real S3 implementation for tests: s3rver on 127.0.0.1 with a fresh directory and one bucket, the AWS SDK's S3
 * client to read back what arrived, and signed links made by two independent signers: the SDK's SigV4 presigner and
 * the SigV2 presigner of sigv2-presign.ts. `sandboxStorage` turns it into the sandbox's external storage, so the
 * sandbox's upload sessions and export downloads hand out links to it.
 *
 * What s3rver checks (lib/middleware/authentication.js, 3.7.1): a SigV2 query signature in full (method,
 * Content-MD5, Content-Type, Expires, the re-encoded path), and expiry; for SigV4 only that the parameters are
 * there, the date's format, the week-long maximum and expiry, never the signature itself. So SigV4 signatures are
 * verified here, in front of s3rver, by sigv4-verify.ts (a wrong one gets S3's SignatureDoesNotMatch).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll } from 'vitest';
import S3rver from 's3rver';
import type { ExternalStorage } from '../../sandbox/server.ts';
import { presignV2 } from './sigv2-presign.ts';
import { sigV4Problem } from './sigv4-verify.ts';

/** s3rver's built-in account. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** What S3 (and s3rver, for SigV2) answers to a signature that does not hold. */
const SIGNATURE_MISMATCH_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>';

export type Signer = 'v4' | 'v2';

export interface LinkOptions {
  signer: Signer;
  /** Seconds the link lives from now; 0 or less makes a link that is already expired. */
  ttlSeconds?: number;
  /** Sign a Content-Type the request must then carry. */
  contentType?: string;
  /** SigV2 only: a `response-content-disposition` to sign into the query (its `+`, spaces and `=` encoded). */
  disposition?: string;
}

export interface S3Storage {
  endpoint: string;
  bucket: string;
  client: S3Client;
  /** A signed link for `method` on `key`. */
  link(method: 'PUT' | 'GET', key: string, options: LinkOptions): Promise<string>;
  /** The object's bytes and ETag (quotes removed), or undefined when there is none. */
  read(key: string): Promise<{ bytes: Buffer; etag: string } | undefined>;
  write(key: string, bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Starts s3rver with one bucket (S3 bucket names are 3 to 63 characters). */
export async function startS3(bucket = 'alegion-test-bucket'): Promise<S3Storage> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  // s3rver accepts any SigV4 signature: this check, first in its chain, refuses a wrong one as S3 would.
  server.middleware.unshift(async (context, next) => {
    const problem = sigV4Problem(
      { method: context.method, path: context.path, query: context.querystring, headers: context.headers },
      CREDENTIALS.secretAccessKey,
    );
    if (problem === undefined) {
      await next();
      return;
    }
    context.status = 403;
    context.type = 'application/xml';
    context.body = SIGNATURE_MISMATCH_XML;
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
    // Otherwise the presigner adds the CRC-32 of an empty body to every PUT link, which real S3 then refuses
    // (BadDigest) for any file with content; s3rver ignores it either way.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

  async function link(method: 'PUT' | 'GET', key: string, options: LinkOptions): Promise<string> {
    const ttl = options.ttlSeconds ?? 3600;
    if (options.signer === 'v2') {
      return presignV2(CREDENTIALS, {
        method,
        endpoint,
        bucket,
        key,
        expires: Math.floor(Date.now() / 1000) + ttl,
        ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
        ...(options.disposition === undefined
          ? {}
          : { signedQuery: { 'response-content-disposition': options.disposition } }),
      });
    }
    const command =
      method === 'PUT'
        ? new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
          })
        : new GetObjectCommand({ Bucket: bucket, Key: key });
    // An expired link: signed far enough in the past that its lifetime has run out.
    const signingDate = ttl > 0 ? new Date() : new Date(Date.now() + (ttl - 60) * 1000);
    return getSignedUrl(client, command, {
      expiresIn: ttl > 0 ? ttl : 60,
      signingDate,
      ...(options.contentType === undefined ? {} : { signableHeaders: new Set(['content-type']) }),
    });
  }

  async function read(key: string): Promise<{ bytes: Buffer; etag: string } | undefined> {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      return { bytes, etag: (object.ETag ?? '').replace(/"/g, '') };
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  return {
    endpoint,
    bucket,
    client,
    link,
    read,
    async write(key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** How the sandbox signs its links to s3rver (upload sessions and export downloads), changeable between tests. */
export interface SessionLinks extends Omit<LinkOptions, 'ttlSeconds'> {
  /** Seconds every link lives (default: the sandbox's `signedUrlTtl` or `downloadUrlTtl`). */
  ttlSeconds?: number;
  /** The object key for an asset's or an export's file (odd characters welcome). */
  keyFor: (file: { id: string; fileName: string | null }) => string;
  /** Lifetimes for the next links, spent one by one before `ttlSeconds` applies (e.g. [-60] expires the first). */
  ttlQueue?: number[];
}

/**
 * The sandbox's external storage backed by s3rver (started later: `s3` is asked at each call), for uploads and
 * exports alike. `keys` maps each asset or export id to its key; `issued` holds every link handed out.
 */
export function sandboxStorage(
  s3: () => S3Storage,
  links: SessionLinks,
): Required<ExternalStorage> & { keys: Map<string, string>; issued: string[] } {
  const keys = new Map<string, string>();
  const issued: string[] = [];
  async function signed(
    method: 'PUT' | 'GET',
    file: { id: string; fileName: string | null },
    sandboxTtl: number,
  ): Promise<{ key: string; url: string }> {
    const key = keys.get(file.id) ?? links.keyFor(file);
    keys.set(file.id, key);
    const url = await s3().link(method, key, {
      signer: links.signer,
      ttlSeconds: links.ttlQueue?.shift() ?? links.ttlSeconds ?? sandboxTtl,
      ...(links.contentType === undefined ? {} : { contentType: links.contentType }),
      ...(links.disposition === undefined ? {} : { disposition: links.disposition }),
    });
    issued.push(url);
    return { key, url };
  }
  return {
    keys,
    issued,
    uploads: {
      async uploadUrl(asset, sandboxTtl) {
        return (await signed('PUT', asset, sandboxTtl)).url;
      },
      async storedFile(assetId) {
        const key = keys.get(assetId);
        if (key === undefined) return null;
        const storage = s3();
        try {
          const head = await storage.client.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key }));
          return { size: head.ContentLength ?? 0, md5: (head.ETag ?? '').replace(/"/g, '') };
        } catch (error) {
          if ((error as { name?: string }).name === 'NotFound') return null;
          throw error;
        }
      },
    },
    async exportUrl(file, sandboxTtl) {
      const copied = keys.has(file.id);
      const { key, url } = await signed('GET', { id: file.id, fileName: file.filename }, sandboxTtl);
      // The storage's copy of the file the sandbox wrote, made once, as the platform's export job would.
      if (!copied) await s3().write(key, await readFile(file.path));
      return url;
    },
  };
}

/**
 * s3rver for the current test file (started in beforeAll, closed in afterAll) and the sandbox's external storage
 * backed by it; call `s3()` inside tests to reach the server.
 */
export function useS3(links: SessionLinks): {
  s3: () => S3Storage;
  storage: ReturnType<typeof sandboxStorage>;
} {
  let running: S3Storage | undefined;
  const s3 = (): S3Storage => {
    if (!running) throw new Error('useS3(): s3rver is reachable only inside tests and hooks');
    return running;
  };
  beforeAll(async () => {
    running = await startS3();
  });
  afterAll(async () => {
    await running?.close();
  });
  return { s3, storage: sandboxStorage(s3, links) };
}

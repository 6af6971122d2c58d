/**
 * What the signed-URL PUT puts on the wire, read by a raw TCP server (no HTTP parser between the socket and the
 * assertions), and compared with what the tutorial's `curl --upload-file` sends to the same server: the request
 * target byte for byte as the API wrote the URL, no Content-Type, no header curl would not send, and never a byte
 * past the declared Content-Length.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlegionClient } from '../../../main/alegion/client.ts';
import type { ClosableAlegionClient } from '../../../main/alegion/client.ts';
import { BodyLengthChangedError } from '../../../main/alegion/signed-url.ts';
import { failureOf } from './helpers.ts';

interface CapturedRequest {
  /** The request line as it arrived, e.g. `PUT /a?b HTTP/1.1`. */
  requestLine: string;
  /** Header names (lower case) in the order sent, with their values. */
  headers: [string, string][];
  body: Buffer;
  /** Bytes that arrived after the declared body on the same connection. */
  trailing: number;
}

/** A storage stand-in on a bare socket: it records each request raw and answers 200 with the body's MD5. */
async function rawStorage(): Promise<{
  port: number;
  requests: CapturedRequest[];
  close: () => Promise<void>;
}> {
  const requests: CapturedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    let current: CapturedRequest | undefined;
    let wanted = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (current === undefined) {
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) return;
          const [requestLine = '', ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n');
          const headers = lines.map((line): [string, string] => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
          });
          buffered = buffered.subarray(end + 4);
          current = { requestLine, headers, body: Buffer.alloc(0), trailing: 0 };
          requests.push(current);
          wanted = Number(headers.find(([name]) => name === 'content-length')?.[1] ?? 0);
          if (headers.some(([name, value]) => name === 'expect' && value === '100-continue'))
            socket.write('HTTP/1.1 100 Continue\r\n\r\n');
        }
        const take = Math.min(wanted - current.body.length, buffered.length);
        current.body = Buffer.concat([current.body, buffered.subarray(0, take)]);
        buffered = buffered.subarray(take);
        if (current.body.length < wanted) return;
        const md5 = createHash('md5').update(current.body).digest('hex');
        socket.write(`HTTP/1.1 200 OK\r\nETag: "${md5}"\r\nContent-Length: 0\r\n\r\n`);
        const done = current;
        current = undefined;
        // Anything more is either the next request or bytes beyond the body: counted against the last one.
        if (buffered.length > 0 && !/^[A-Z]+ /.test(buffered.subarray(0, 8).toString('latin1'))) {
          done.trailing += buffered.length;
          buffered = Buffer.alloc(0);
        }
        if (buffered.length === 0) return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Path and query exactly as written in `url` (what must appear on the request line). */
function writtenTarget(url: string): string {
  return url.replace(/^http:\/\/[^/]+/, '');
}

const execFileAsync = promisify(execFile);
const hasCurl = await execFileAsync('curl', ['--version']).then(
  () => true,
  () => false,
);
if (!hasCurl) console.log('signed-url-wire: curl is not installed, so the comparison with curl is skipped');

let storage: Awaited<ReturnType<typeof rawStorage>>;
let client: ClosableAlegionClient;
let dir: string;

beforeAll(async () => {
  storage = await rawStorage();
  // No API call is made: only the storage side of the client is used here.
  client = createAlegionClient({
    baseUrl: 'http://127.0.0.1:9/v1',
    apiKey: 'unused',
    username: 'unused',
    password: 'unused',
    timeoutMs: 10_000,
  });
  dir = await mkdtemp(join(tmpdir(), 'wire-'));
});

afterAll(async () => {
  client.close();
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

/** Links as signers write them: S3 SigV2 (base64 signature percent-encoded), SigV4, CloudFront, and hand-made odd ones. */
function links(port: number): string[] {
  const origin = `http://127.0.0.1:${port}`;
  return [
    `${origin}/bucket/photo.png?AWSAccessKeyId=AKIA&Expires=1765076400&Signature=ab%2Bcd%2Fef%3D`,
    `${origin}/bucket/it's~_-%2F%2B%3D+!*().png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261207%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261207T030000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0a1b`,
    `${origin}/tenant-assets/t/a?Policy=eyJTdGF0ZW1lbnQiOiBb_&Signature=DpfMk3Vs~rJ5G-rNk__&Key-Pair-Id=APKA`,
    `${origin}/b/k?response-content-disposition=attachment;filename='it's+fine!'~&x=%27&y=a+b&z=%2B%3D&empty=&flag`,
    `${origin}/b/%7e%2e%2E/k?q='`,
  ];
}

describe('the signed-URL PUT on the wire', () => {
  it('sends the path and query byte for byte, with only Host, Content-Length, User-Agent and Connection', async () => {
    const body = Buffer.from('tutorial bytes '.repeat(40));
    for (const url of links(storage.port)) {
      const before = storage.requests.length;
      const { etag } = await client.putSignedUrl(url, Readable.from([body]), { size: body.length });
      expect(etag).toBe(createHash('md5').update(body).digest('hex'));
      const seen = storage.requests[before];
      expect(seen?.requestLine).toBe(`PUT ${writtenTarget(url)} HTTP/1.1`);
      expect(seen?.body.equals(body)).toBe(true);
      const names = seen?.headers.map(([name]) => name).sort();
      expect(names).toEqual(['connection', 'content-length', 'host', 'user-agent']);
      expect(seen?.headers).toContainEqual(['content-length', String(body.length)]);
      expect(seen?.headers).toContainEqual(['host', `127.0.0.1:${storage.port}`]);
    }
  });

  it.skipIf(!hasCurl)(
    'sends what curl --upload-file sends to the same URLs (no header curl lacks)',
    async () => {
      const file = join(dir, 'cars-1900.mp4');
      const body = Buffer.from('curl bytes '.repeat(50));
      writeFileSync(file, body);
      for (const url of links(storage.port)) {
        const before = storage.requests.length;
        await execFileAsync('curl', ['-sS', '--upload-file', file, url]);
        await client.putSignedUrl(url, Readable.from([body]), { size: body.length });
        const [fromCurl, fromClient] = storage.requests.slice(before);
        expect(fromClient?.requestLine).toBe(fromCurl?.requestLine);
        const curlNames = new Set(fromCurl?.headers.map(([name]) => name));
        // Connection is hop-by-hop (node:http's keep-alive): no storage signs it.
        const extra = fromClient?.headers
          .map(([name]) => name)
          .filter((n) => !curlNames.has(n) && n !== 'connection');
        expect(extra).toEqual([]);
        expect(curlNames.has('content-type')).toBe(false);
        expect(fromClient?.headers.find(([name]) => name === 'content-length')).toEqual(
          fromCurl?.headers.find(([name]) => name === 'content-length'),
        );
      }
    },
  );

  it('stops at the declared length when the body grows, and fails as changed rather than as a refusal', async () => {
    const url = `http://127.0.0.1:${storage.port}/bucket/growing.bin?Signature=s`;
    const declared = 200_000;
    const before = storage.requests.length;
    // 64 KiB chunks: the fourth crosses the declared size.
    const grown = Readable.from(Array.from({ length: 6 }, (_, i) => Buffer.alloc(65_536, i)));
    const error = await failureOf(() => client.putSignedUrl(url, grown, { size: declared }));
    expect(error).toBeInstanceOf(BodyLengthChangedError);
    expect(error.message).toBe('the file grew past the 200000 bytes it had when the upload began');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const seen = storage.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.body.length).toBeLessThanOrEqual(declared);
    expect(seen[0]?.trailing).toBe(0);
  });

  it('fails at once, without waiting for a timeout, when the body ends short', async () => {
    const url = `http://127.0.0.1:${storage.port}/bucket/shrunk.bin?Signature=s`;
    const short = Readable.from([Buffer.alloc(1000, 7)]);
    const error = await failureOf(() => client.putSignedUrl(url, short, { size: 5000 }));
    expect(error).toBeInstanceOf(BodyLengthChangedError);
    expect(error.message).toBe('the file ended after 1000 of the 5000 bytes it had when the upload began');
  });
});

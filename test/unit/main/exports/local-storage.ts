import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny stand-in for object storage (not the Alegion API): serves one file with Range and ETag, and can cut a
 * response after some bytes, refuse expired links with 403, or ignore Range.
 */
export interface Storage {
  url: (token: string) => string;
  data: Buffer;
  md5: string;
  requests: { headers: IncomingHttpHeaders; status: number; bytes: number }[];
  cuts: number[];
  expired: Set<string>;
  ignoreRange: boolean;
  etag: string;
  close: () => Promise<void>;
}

/** Starts the stand-in storage on a free port. */
export async function startStorage(data: Buffer): Promise<Storage> {
  const md5 = createHash('md5').update(data).digest('hex');
  const state: Omit<Storage, 'url' | 'close'> = {
    data,
    md5,
    requests: [],
    cuts: [],
    expired: new Set(),
    ignoreRange: false,
    etag: md5,
  };
  const server: Server = createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('sig') ?? '';
    const record = { headers: req.headers, status: 0, bytes: 0 };
    state.requests.push(record);
    if (state.expired.has(token)) {
      record.status = 403;
      res
        .writeHead(403, { 'content-type': 'application/xml' })
        .end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    if (range && !state.ignoreRange) {
      start = Number(range[1]);
      record.status = 206;
      res.writeHead(206, {
        'content-length': data.length - start,
        'content-range': `bytes ${start}-${data.length - 1}/${data.length}`,
        etag: `"${state.etag}"`,
      });
    } else {
      record.status = 200;
      res.writeHead(200, { 'content-length': data.length, etag: `"${state.etag}"` });
    }
    const body = data.subarray(start);
    const cut = state.cuts.shift();
    if (cut !== undefined && cut < body.length) {
      record.bytes = cut;
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    record.bytes = body.length;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: (token: string) => `http://127.0.0.1:${port}/exports/file.zip?sig=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

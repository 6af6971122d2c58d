/**
 * Another local server on 127.0.0.1, at a port of its own, that records every request it gets: what it receives is
 * what any local process could collect from the browser.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Decoy {
  url: string;
  requests: { url: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** Starts the decoy on a free port. */
export async function startDecoy(): Promise<Decoy> {
  const requests: Decoy['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>decoy</title>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

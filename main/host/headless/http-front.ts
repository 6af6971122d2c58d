/**
 * The headless host's HTTP side: the renderer build, to this listener's Host and Origin only, and the answer to a
 * request that cannot even be parsed. The build is the app's public code and holds no data, so it is served
 * without the token; the token guards the socket, where the data is (server.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { hostAllowed, originAllowed } from './guard.ts';
import { loadStatic, securityHeaders } from './static-files.ts';

/** Answers with a status and one plain sentence. */
export function refuse(res: ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end(`${message}\n`);
}

/** The path of a request target, or null when it is not a URL path (`http://[`, `*`, an absolute URL). */
export function requestPath(target: string | undefined): string | null {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://127.0.0.1').pathname;
  } catch {
    return null;
  }
}

/** Serves one HTTP request of the page. */
export async function serveHttp(
  req: IncomingMessage,
  res: ServerResponse,
  listener: { port: number; origin: string; rendererDir: string },
): Promise<void> {
  if (!hostAllowed(req.headers.host, listener.port)) return refuse(res, 421, 'wrong Host header');
  if (!originAllowed(req.headers.origin, listener.port, false)) return refuse(res, 403, 'wrong Origin');
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
  const path = requestPath(req.url);
  if (path === null) return refuse(res, 400, 'malformed request target');
  const file = await loadStatic(listener.rendererDir, path === '/' ? '/index.html' : path);
  if (!file) return refuse(res, 404, 'not found');
  res.writeHead(200, { ...securityHeaders(listener.origin), 'content-type': file.type });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Ends a raw socket with a bare HTTP status (before or instead of an upgrade), or drops it if it cannot write. */
export function endRawSocket(socket: Duplex, status: 400 | 403 | 408 | 431): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // A peer that never reads must not hold the socket open.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** The status for a request Node's parser refused (`clientError`). */
export function clientErrorStatus(error: NodeJS.ErrnoException): 400 | 408 | 431 {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

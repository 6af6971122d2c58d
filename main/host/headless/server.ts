/**
 * The headless host: the renderer build over HTTP and the contract over a WebSocket, on 127.0.0.1 only. Every
 * request needs the random token (in the URL of the page, then in an HttpOnly same-site cookie for its assets, and
 * in the socket's URL), a Host header naming this listener and, on the socket, this listener's Origin.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { HEADLESS_MAX_FRAME_BYTES, HEADLESS_SOCKET_PATH } from '../../../common/headless-protocol.ts';
import type { CallFrame, HeadlessServerFrame } from '../../../common/headless-protocol.ts';
import type { Engine } from '../../engine.ts';
import { dispatch } from '../../engine/dispatch.ts';
import { createToken, hostAllowed, originAllowed, readCookie, tokenMatches } from './guard.ts';
import { loadStatic, securityHeaders } from './static-files.ts';

const COOKIE = 'alegion_token';
const LOOPBACK = '127.0.0.1';

export interface HeadlessHostOptions {
  engine: Engine;
  /** The renderer build (`out/renderer`). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); default: a fresh random one. */
  token?: string;
}

export interface HeadlessHost {
  /** The URL to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end(`${message}\n`);
}

function parseFrame(data: string): CallFrame | null {
  try {
    const frame = JSON.parse(data) as Partial<CallFrame>;
    if (frame.type !== 'call' || typeof frame.id !== 'number' || typeof frame.method !== 'string')
      return null;
    return {
      type: 'call',
      id: frame.id,
      method: frame.method,
      args: Array.isArray(frame.args) ? frame.args : [],
    };
  } catch {
    return null;
  }
}

/** Starts the headless host; resolves once it listens. */
export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const token = options.token ?? createToken();
  const { engine } = options;
  let port = 0;
  let origin = '';

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host, port)) return refuse(res, 421, 'wrong Host header');
    if (!originAllowed(req.headers.origin, port, false)) return refuse(res, 403, 'wrong Origin');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const url = new URL(req.url ?? '/', origin);
    const fromQuery = url.searchParams.get('token');
    const fromCookie = readCookie(req.headers.cookie, COOKIE);
    if (!tokenMatches(fromQuery, token) && !tokenMatches(fromCookie, token)) {
      return refuse(res, 401, 'access token missing or wrong: open the URL that `serve` printed');
    }
    const file = await loadStatic(options.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return refuse(res, 404, 'not found');
    res.writeHead(200, {
      ...securityHeaders(origin),
      'content-type': file.type,
      // The page's own assets load without the token in their URL; the cookie carries it, to this host only.
      'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: HEADLESS_MAX_FRAME_BYTES });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const allowed =
      url.pathname === HEADLESS_SOCKET_PATH &&
      hostAllowed(req.headers.host, port) &&
      originAllowed(req.headers.origin, port, true) &&
      tokenMatches(url.searchParams.get('token'), token);
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws));
  });

  const send = (ws: WebSocket, frame: HeadlessServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  sockets.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = parseFrame(String(data));
      if (!frame) {
        ws.close(1003, 'malformed frame');
        return;
      }
      void dispatch(engine, frame.method, frame.args, () => engine.knownSecrets()).then((envelope) =>
        send(
          ws,
          envelope.ok
            ? { type: 'result', id: frame.id, ok: true, value: envelope.value }
            : { type: 'result', id: frame.id, ok: false, error: envelope.error },
        ),
      );
    });
  });
  const offEvents = engine.events.onAny((event, payload) => {
    const text = JSON.stringify({ type: 'event', event, payload } satisfies HeadlessServerFrame);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://${LOOPBACK}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      offEvents();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The headless host: the renderer build over HTTP and the contract over a WebSocket, on 127.0.0.1 only. The socket
 * needs the random token (offered as a subprotocol: see headless-protocol.ts), a Host header naming this listener
 * and this listener's Origin; every path argument of every call must lie inside the allowed roots.
 *
 * Every socket has one error path: a request or frame that cannot be parsed, a peer that resets, an oversized or
 * invalid frame, each ends that one connection with a status where the protocol has one, and nothing else.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import {
  HEADLESS_MAX_FRAME_BYTES,
  HEADLESS_SOCKET_PATH,
  HEADLESS_SUBPROTOCOL,
} from '../../../common/headless-protocol.ts';
import type { HeadlessServerFrame } from '../../../common/headless-protocol.ts';
import type { Engine } from '../../engine/index.ts';
import { checkPathAllowed, resolveRoots } from '../../engine/index.ts';
import type { DownloadLinks } from './download-links.ts';
import { createToken, hostAllowed, originAllowed, tokenFromProtocols, tokenMatches } from './guard.ts';
import { clientErrorStatus, endRawSocket, refuse, requestPath, serveHttp } from './http-front.ts';
import { serveSocket } from './socket-session.ts';
import type { SocketSession } from './socket-session.ts';

const LOOPBACK = '127.0.0.1';

interface HeadlessHostOptions {
  engine: Engine;
  /** The renderer build (`out/renderer`). */
  rendererDir: string;
  /** The folders calls may name paths in (resolved through symlinks; missing ones are dropped). */
  roots: readonly string[];
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); default: a fresh random one. */
  token?: string;
  /** The download links the engine was given (same token), for the download route. */
  downloadLinks?: DownloadLinks;
  /** Hears of connections dropped for a protocol error (no secrets: these are the peer's faults). */
  onConnectionError?: (error: Error) => void;
}

export interface HeadlessHost {
  /** The URL to open, token included (in the fragment, which browsers never send to a server). */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** The resolved roots that path arguments are checked against. */
  readonly roots: readonly string[];
  close(): Promise<void>;
}

/** Starts the headless host; resolves once it listens. */
export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const token = options.token ?? createToken();
  const { engine } = options;
  const roots = await resolveRoots(options.roots);
  const checkPath = (path: string) => checkPathAllowed(path, roots);
  const onConnectionError = options.onConnectionError ?? (() => {});
  const listener = {
    port: 0,
    origin: '',
    rendererDir: options.rendererDir,
    ...(options.downloadLinks
      ? { downloads: { links: options.downloadLinks, find: (id: string) => engine.savedFile(id) } }
      : {}),
  };

  const server = createServer((req, res) => {
    serveHttp(req, res, listener).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // A request Node cannot parse, or a peer that resets mid-request: answer if possible, then drop that socket.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    onConnectionError(error);
    endRawSocket(socket, clientErrorStatus(error));
  });

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: HEADLESS_MAX_FRAME_BYTES,
    // The page offers the token as a second subprotocol; the answer names only the protocol, never the token.
    handleProtocols: (offered) => (offered.has(HEADLESS_SUBPROTOCOL) ? HEADLESS_SUBPROTOCOL : false),
  });
  sockets.on('error', onConnectionError);
  const sessions = new Map<WebSocket, SocketSession>();

  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    // Node hands the raw socket over without an error listener: a reset here would otherwise be thrown.
    socket.on('error', (error) => {
      onConnectionError(error);
      socket.destroy();
    });
    const path = requestPath(req.url);
    if (path === null) return endRawSocket(socket, 400);
    const allowed =
      path === HEADLESS_SOCKET_PATH &&
      hostAllowed(req.headers.host, listener.port) &&
      originAllowed(req.headers.origin, listener.port, true) &&
      tokenMatches(tokenFromProtocols(req.headers['sec-websocket-protocol']), token);
    if (!allowed) return endRawSocket(socket, 403);
    sockets.handleUpgrade(req, socket, head, (ws) => {
      sessions.set(ws, serveSocket(ws, engine, checkPath, onConnectionError));
      ws.on('close', () => sessions.delete(ws));
    });
  });

  const offEvents = engine.events.onAny((event, payload) => {
    const frame = { type: 'event', event, payload } as HeadlessServerFrame;
    for (const session of sessions.values()) session.send(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  // Past listening, a server error (out of file descriptors on accept, say) must not end the uploads either.
  server.on('error', onConnectionError);
  listener.port = (server.address() as AddressInfo).port;
  listener.origin = `http://${LOOPBACK}:${listener.port}`;

  return {
    url: `${listener.origin}/#token=${token}`,
    origin: listener.origin,
    port: listener.port,
    token,
    roots,
    async close() {
      offEvents();
      for (const ws of sessions.keys()) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

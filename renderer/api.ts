/**
 * The renderer's only door to the engine, and the only reader of `window.alegion`. In the desktop app the preload
 * provides the bridge; in a browser served by the headless host, the same bridge is built here over the host's
 * WebSocket. The access token comes in the page's URL once: the page takes it out of the address bar, keeps it in
 * memory (and in this tab's sessionStorage, which only this very origin can read, so a reload still works) and
 * presents it in the socket's handshake. It is never put in a cookie: cookies ignore ports. Either way, failures reject with an `ApiCallError`
 * carrying the engine's `{ code, message }`.
 */
import { EVENT_NAMES, METHOD_NAMES, subscriptionName } from '../common/api.ts';
import type { AlegionBridge, AlegionEvents, ApiErrorPayload, EventName, MethodName } from '../common/api.ts';
import { HEADLESS_SOCKET_PATH, socketProtocols } from '../common/headless-protocol.ts';
import type { CallFrame, HeadlessServerFrame } from '../common/headless-protocol.ts';

/** A call the engine refused or that failed: `code` is stable, `message` is one sentence for a person. */
export class ApiCallError extends Error {
  readonly code: string;
  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.name = 'ApiCallError';
    this.code = payload.code;
  }
}

/** Normalises anything a call rejected with into an ApiCallError. */
export function toApiCallError(reason: unknown): ApiCallError {
  if (reason instanceof ApiCallError) return reason;
  if (reason && typeof reason === 'object' && 'code' in reason && 'message' in reason) {
    const { code, message } = reason as { code: unknown; message: unknown };
    if (typeof code === 'string' && typeof message === 'string') return new ApiCallError({ code, message });
  }
  const message = reason instanceof Error ? reason.message : String(reason);
  return new ApiCallError({ code: 'internal', message });
}

type Listener = (payload: unknown) => void;
type AnyFn = (...args: unknown[]) => unknown;

/** Wraps the preload's bridge so every rejection is an ApiCallError (contextBridge drops custom error fields). */
function wrapPreloadBridge(raw: AlegionBridge): AlegionBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const fn = raw[method] as AnyFn;
    bridge[method] = (...args: unknown[]) =>
      Promise.resolve(fn(...args)).catch((reason: unknown) => {
        throw toApiCallError(reason);
      });
  }
  for (const event of EVENT_NAMES) {
    const name = subscriptionName(event);
    bridge[name] = raw[name];
  }
  if (raw.pathsForDroppedFiles) bridge.pathsForDroppedFiles = raw.pathsForDroppedFiles;
  return bridge as unknown as AlegionBridge;
}

/** How the socket bridge reaches the host (injectable for tests). */
interface SocketBridgeOptions {
  url: string;
  /** The access token, presented as a subprotocol of every (re)connection. */
  token: string;
  createSocket?: (url: string, protocols: string[]) => WebSocket;
  /** Wait before reconnecting, by attempt (default: 0.5 s doubling up to 10 s). */
  backoffMs?: (attempt: number) => number;
}

/** Builds the bridge over the headless host's WebSocket: calls wait for the socket, which reconnects when lost. */
export function createSocketBridge(options: SocketBridgeOptions): AlegionBridge {
  const createSocket =
    options.createSocket ?? ((url: string, protocols: string[]) => new WebSocket(url, protocols));
  const backoff = options.backoffMs ?? ((attempt: number) => Math.min(10_000, 500 * 2 ** attempt));
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: ApiCallError) => void }
  >();
  const listeners = new Map<EventName, Set<Listener>>();
  let outbox: string[] = [];
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;

  const connect = (): void => {
    const ws = createSocket(options.url, socketProtocols(options.token));
    socket = ws;
    ws.addEventListener('open', () => {
      attempt = 0;
      const queued = outbox;
      outbox = [];
      for (const text of queued) ws.send(text);
    });
    ws.addEventListener('message', (message: MessageEvent) => {
      let frame: HeadlessServerFrame;
      try {
        frame = JSON.parse(String(message.data)) as HeadlessServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'event') {
        for (const listener of [...(listeners.get(frame.event) ?? [])]) listener(frame.payload);
        return;
      }
      const call = pending.get(frame.id);
      if (!call) return;
      pending.delete(frame.id);
      if (frame.ok) call.resolve(frame.value);
      else call.reject(new ApiCallError(frame.error));
    });
    ws.addEventListener('close', () => {
      socket = null;
      // Calls in flight may or may not have run: say so instead of repeating them.
      for (const [id, call] of pending) {
        call.reject(
          new ApiCallError({ code: 'disconnected', message: 'lost the connection to the app host' }),
        );
        pending.delete(id);
      }
      setTimeout(connect, backoff(attempt++));
    });
  };

  const call = (method: MethodName, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const text = JSON.stringify({ type: 'call', id, method, args } satisfies CallFrame);
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
      else outbox.push(text);
    });

  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) bridge[method] = (...args: unknown[]) => call(method, args);
  for (const event of EVENT_NAMES) {
    bridge[subscriptionName(event)] = (listener: (payload: AlegionEvents[typeof event]) => void) => {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const entry = listener as Listener;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    };
  }
  connect();
  return bridge as unknown as AlegionBridge;
}

/** The socket URL for a page served by the headless host, from the page's own location. */
export function socketUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${HEADLESS_SOCKET_PATH}`;
}

/** Where the token is kept for a reload of this tab: sessionStorage is per origin (port included) and per tab. */
const TOKEN_KEY = 'alegion.token';

/** What the token reader needs of the page (injectable for tests). */
export interface TokenPage {
  location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

/**
 * Takes the access token from the page's URL (`#token=`, or `?token=` as older hosts printed it), removes it from
 * the address bar so that it stays out of history, bookmarks and screenshots, and keeps it for this tab. Without one
 * in the URL, the one kept for this tab (a reload); null when there is none.
 */
export function takeToken(page: TokenPage): string | null {
  const search = new URLSearchParams(page.location.search);
  const hash = new URLSearchParams(page.location.hash.replace(/^#/, ''));
  const fromUrl = hash.get('token') ?? search.get('token');
  if (!fromUrl) return page.storage?.getItem(TOKEN_KEY) ?? null;
  search.delete('token');
  hash.delete('token');
  const rest = `${search.size > 0 ? `?${search}` : ''}${hash.size > 0 ? `#${hash}` : ''}`;
  page.history.replaceState(page.history.state, '', `${page.location.pathname}${rest}`);
  try {
    page.storage?.setItem(TOKEN_KEY, fromUrl);
  } catch {
    // Storage refused (private mode, quota): the token lives in memory only, and a reload asks for the URL again.
  }
  return fromUrl;
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

let cached: AlegionBridge | null = null;

/** The bridge for this page: the preload's in the desktop app, the WebSocket one in a browser. */
export function getBridge(): AlegionBridge {
  if (cached) return cached;
  const fromPreload = (window as unknown as { alegion?: AlegionBridge }).alegion;
  if (fromPreload) {
    cached = wrapPreloadBridge(fromPreload);
    return cached;
  }
  const token = takeToken({
    location: window.location,
    history: window.history,
    storage: sessionStorageOrNull(),
  });
  if (!token) {
    throw new Error('This page was opened without its access token: open the URL that "serve" printed.');
  }
  cached = createSocketBridge({ url: socketUrlFor(window.location), token });
  return cached;
}

/**
 * The frames of the headless host's WebSocket, shared by the host and the renderer's socket bridge: a call goes
 * up with an id, its result or error comes back with the same id, and events come down unasked.
 */
import type { ApiErrorPayload, EventName } from './api.ts';

/** Renderer → host. */
export interface CallFrame {
  type: 'call';
  id: number;
  method: string;
  args: unknown[];
}

/** Host → renderer. */
export type HeadlessServerFrame =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorPayload }
  | { type: 'event'; event: EventName; payload: unknown };

/** Path of the WebSocket endpoint. */
export const HEADLESS_SOCKET_PATH = '/ws';

/**
 * The subprotocol the host answers with. The page offers it together with `alegion-token.<token>`: the token
 * travels in the socket's own handshake, never in a cookie (cookies ignore ports, so another local server would get
 * it) nor in a URL that lands in logs or history.
 */
export const HEADLESS_SUBPROTOCOL = 'alegion.v1';
/** Prefix of the subprotocol that carries the access token (base64url is valid subprotocol text). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'alegion-token.';

/** The subprotocols a client offers to present `token`. */
export function socketProtocols(token: string): string[] {
  return [HEADLESS_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}

/** Largest frame the host accepts (a scan of 10,000 paths fits comfortably). */
export const HEADLESS_MAX_FRAME_BYTES = 8 * 1024 * 1024;

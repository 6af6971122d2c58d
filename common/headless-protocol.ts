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

/** Path of the WebSocket endpoint; the token rides in its query string. */
export const HEADLESS_SOCKET_PATH = '/ws';

/** Largest frame the host accepts (a scan of 10,000 paths fits comfortably). */
export const HEADLESS_MAX_FRAME_BYTES = 8 * 1024 * 1024;

/**
 * One WebSocket connection of the headless host: call frames in, results and events out. Whatever a client sends
 * (an oversized or binary frame, invalid UTF-8, text that is not a call, a flood of calls), the answer is either a
 * result or the close of this one connection with a status code and a reason; nothing a client sends can throw out
 * of here, so the host and the uploads it runs carry on.
 */
import type { WebSocket } from 'ws';
import type { CallFrame, HeadlessServerFrame } from '../../../common/headless-protocol.ts';
import type { Engine } from '../../engine/index.ts';
import { dispatch } from '../../engine/index.ts';
import type { PathCheck } from '../../engine/index.ts';

/** Calls one connection may have running at once; more is a client gone wrong. */
const MAX_CALLS_IN_FLIGHT = 256;
/** Bytes queued for a client that does not read before it is dropped (events would pile up without end). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** WebSocket close codes the host uses (RFC 6455, section 7.4.1). */
const CLOSE = { unsupported: 1003, policy: 1008 } as const;

/** Reads a call frame, or null when the text is not one. */
function parseCallFrame(text: string): CallFrame | null {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  if (!frame || typeof frame !== 'object' || Array.isArray(frame)) return null;
  const { type, id, method, args } = frame as Record<string, unknown>;
  if (type !== 'call' || typeof id !== 'number' || !Number.isFinite(id) || typeof method !== 'string')
    return null;
  return { type: 'call', id, method, args: Array.isArray(args) ? (args as unknown[]) : [] };
}

export interface SocketSession {
  /** Sends a frame; a client too slow to take it is dropped. */
  send(frame: HeadlessServerFrame): void;
}

/** Serves the contract on one accepted socket. `onError` hears of protocol errors (already handled). */
export function serveSocket(
  ws: WebSocket,
  engine: Engine,
  checkPath: PathCheck,
  onError: (error: Error) => void = () => {},
): SocketSession {
  let inFlight = 0;
  const send = (frame: HeadlessServerFrame): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(CLOSE.policy, 'not reading fast enough');
      return;
    }
    ws.send(JSON.stringify(frame));
  };
  // ws has already sent the close frame (1009 too big, 1007 invalid UTF-8, 1002 protocol error) when it emits
  // this: the listener's presence is what keeps the error from being thrown at the process.
  ws.on('error', onError);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(CLOSE.unsupported, 'binary frames are not accepted');
      return;
    }
    const frame = parseCallFrame(String(data));
    if (!frame) {
      ws.close(CLOSE.unsupported, 'malformed frame: expected {"type":"call","id":<number>,"method":…}');
      return;
    }
    if (inFlight >= MAX_CALLS_IN_FLIGHT) {
      ws.close(CLOSE.policy, 'too many calls in flight');
      return;
    }
    inFlight += 1;
    void dispatch(engine, frame.method, frame.args, () => engine.knownSecrets(), checkPath)
      .then((envelope) =>
        send(
          envelope.ok
            ? { type: 'result', id: frame.id, ok: true, value: envelope.value }
            : { type: 'result', id: frame.id, ok: false, error: envelope.error },
        ),
      )
      .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        inFlight -= 1;
      });
  });
  return { send };
}

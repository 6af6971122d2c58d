/**
 * Test clients of the headless host (and the host itself, over a stand-in renderer build): a WebSocket that presents the token as the page does, a minimal caller of its
 * protocol, and a raw TCP exchange for requests no HTTP client would send.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { socketProtocols } from '../../../common/headless-protocol.ts';
import type { HeadlessServerFrame } from '../../../common/headless-protocol.ts';
import { runHeadless } from '../../../main/host/headless/run.ts';
import type { HeadlessOptions } from '../../../main/host/headless/run.ts';
import type { HeadlessHost } from '../../../main/host/headless/server.ts';

/** Opens the host's socket as the page does (token as a subprotocol, the host's own Origin). */
export function openHostSocket(host: HeadlessHost): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, socketProtocols(host.token), {
      headers: { origin: host.origin },
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

/** Resolves with the close code and reason once the host closes the socket. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) resolve({ code: 1006, reason: '' });
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
}

/** Calls by id over an open socket; every event is kept in arrival order. */
export function rpc(ws: WebSocket) {
  let nextId = 1;
  const events: { event: string; payload: unknown }[] = [];
  const waiting = new Map<
    number,
    { resolve: (frame: HeadlessServerFrame) => void; reject: (e: Error) => void }
  >();
  // The error event of a client socket is expected when the host drops it; the close says how.
  ws.on('error', () => {});
  ws.on('close', () => {
    for (const call of waiting.values()) call.reject(new Error('socket closed before the call was answered'));
    waiting.clear();
  });
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as HeadlessServerFrame;
    if (frame.type === 'event') events.push({ event: frame.event, payload: frame.payload });
    else {
      waiting.get(frame.id)?.resolve(frame);
      waiting.delete(frame.id);
    }
  });
  const call = (method: string, ...args: unknown[]): Promise<HeadlessServerFrame> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ type: 'call', id, method, args }));
    });
  };
  /** The value of a call that must succeed. */
  const value = async <T>(method: string, ...args: unknown[]): Promise<T> => {
    const frame = await call(method, ...args);
    if (frame.type !== 'result' || !frame.ok) throw new Error(`${method} failed: ${JSON.stringify(frame)}`);
    return frame.value as T;
  };
  return { events, call, value };
}

/**
 * Sends raw bytes over TCP and reads what the host does: its status line as soon as one arrives, or the close. A
 * host that waits for more (an unfinished request) gets the end of the stream after a moment of silence.
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  timeoutMs = 5000,
): Promise<{ answer: string; closedByHost: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const text = () => Buffer.concat(chunks).toString('latin1');
    const finish = (closedByHost: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(silence);
      socket.destroy();
      resolve({ answer: text(), closedByHost });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const silence = setTimeout(() => socket.end(), 250);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // A status line and the end of the headers: the host has answered.
      if (/^HTTP\/\d\.\d \d{3} [^\r\n]*\r\n[\s\S]*?\r\n\r\n/.test(text())) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('connect', () => socket.write(bytes));
  });
}

/** The headers of a WebSocket upgrade to the host, token and all, after a request line of the caller's choice. */
export function upgradeRequest(host: HeadlessHost, requestLine: string): string {
  return [
    requestLine,
    `Host: 127.0.0.1:${host.port}`,
    `Origin: ${host.origin}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: ${socketProtocols(host.token).join(', ')}`,
    '',
    '',
  ].join('\r\n');
}

/** Runs the headless host over a stand-in renderer build in `dir` (state in `dir/state`). */
export async function runTestHost(
  dir: string,
  options: Omit<HeadlessOptions, 'stateDir' | 'appVersion' | 'rendererDir'> = {},
): Promise<Awaited<ReturnType<typeof runHeadless>>> {
  const rendererDir = join(dir, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await mkdir(join(dir, 'state'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Alegion Uploader</title>');
  return runHeadless({ stateDir: join(dir, 'state'), appVersion: '0.0.0-test', rendererDir, ...options });
}

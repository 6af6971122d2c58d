/**
 * Property-based tests of the headless host (fast-check): random WebSocket frames (calls to real and made-up
 * methods with arguments of any shape, JSON that is not a call, text in any script, bytes that are not UTF-8,
 * binary frames, frames past the size limit) and random HTTP requests over raw TCP (methods, targets, versions,
 * headers, bodies, upgrade attempts). Each must get an answer or the clean close of its own connection; afterwards
 * the host still serves the page and answers calls.
 *
 * The run is seeded and bounded: 10,000 frames and requests by default (part of every test run). For a longer
 * hunt: ALEGION_PROPERTY_RUNS=200000 (and ALEGION_PROPERTY_SEED=<n> for another sequence).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { METHOD_NAMES } from '../../../common/api.ts';
import { HEADLESS_MAX_FRAME_BYTES, socketProtocols } from '../../../common/headless-protocol.ts';
import type { runHeadless } from '../../../main/host/headless/run.ts';
import { recordingServices } from '../../unit/main/engine/recording-services.ts';
import { closed, openHostSocket, rawExchange, rpc, runTestHost } from './socket-client.ts';

const TOTAL_RUNS = Number(process.env.ALEGION_PROPERTY_RUNS ?? 10_000);
const SEED = Number(process.env.ALEGION_PROPERTY_SEED ?? 20_261_207);
const FRAME_RUNS = Math.round(TOTAL_RUNS * 0.7);
const REQUEST_RUNS = TOTAL_RUNS - FRAME_RUNS;
/** Close codes that mean "this connection was refused for what it sent" (RFC 6455, 7.4.1). */
const CLEAN_CLOSES = new Set([1002, 1003, 1007, 1008, 1009]);
const ANSWER_TIMEOUT_MS = 5000;

let dir: string;
let running: Awaited<ReturnType<typeof runHeadless>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-properties-'));
  // No network: a client that fails everything but `verify`, and no sandbox.
  running = await runTestHost(dir, { roots: [dir], services: recordingServices().services });
});

afterAll(async () => {
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

// ── WebSocket frames ───────────────────────────────────────────────────────────────────────────────────────

type Frame =
  | { kind: 'call'; id: number; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array; binary: boolean };

const methodName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...METHOD_NAMES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'close', 'events'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
);
/** Argument shapes: anything JSON can carry, plus objects shaped like the contract's (paths, ids, targets). */
const argument = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    {
      paths: fc.array(fc.oneof(fc.constant('/'), fc.constant('/etc'), fc.string({ maxLength: 30 })), {
        maxLength: 3,
      }),
      path: fc.string({ maxLength: 60 }),
      destination: fc.oneof(fc.constant('/tmp'), fc.string()),
      downloadDir: fc.oneof(fc.constant('/tmp/alegion-properties-download'), fc.string()),
      workflowId: fc.uuid(),
      scanId: fc.string({ maxLength: 10 }),
      ids: fc.array(fc.integer(), { maxLength: 5 }),
      offset: fc.integer(),
      limit: fc.integer(),
      concurrency: fc.integer({ min: -1, max: 70 }),
    },
    { requiredKeys: [] },
  ),
);
const callFrame = fc
  .record({
    id: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    method: methodName,
    args: fc.oneof(
      { weight: 5, arbitrary: fc.array(argument, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.jsonValue() },
    ),
  })
  .map(({ id, method, args }): Frame => ({
    kind: 'call',
    id,
    text: JSON.stringify({ type: 'call', id, method, args }),
  }));
const notACall = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 2000, unit: 'grapheme' }),
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc
    .record({
      type: fc.constant('call'),
      id: fc.oneof(fc.string(), fc.constant(null)),
      method: fc.anything(),
    })
    .map((v) => JSON.stringify(v)),
);
const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 600, arbitrary: callFrame },
  { weight: 200, arbitrary: notACall.map((text): Frame => ({ kind: 'text', text })) },
  {
    weight: 150,
    arbitrary: fc
      .record({ bytes: fc.uint8Array({ maxLength: 4096 }), binary: fc.boolean() })
      .map(({ bytes, binary }): Frame => ({ kind: 'bytes', bytes, binary })),
  },
  {
    // Rare, being 8 MiB each: just over the limit, in text or binary.
    weight: 1,
    arbitrary: fc
      .record({ extra: fc.integer({ min: 1, max: 4096 }), binary: fc.boolean() })
      .map(({ extra, binary }): Frame => ({
        kind: 'bytes',
        bytes: new Uint8Array(HEADLESS_MAX_FRAME_BYTES + extra).fill(0x61),
        binary,
      })),
  },
);

/** One connection reused until the host closes it. */
let current: {
  ws: WebSocket;
  answers: Map<number, () => void>;
  closed: Promise<{ code: number; reason: string }>;
} | null = null;
async function connection() {
  if (current && current.ws.readyState === current.ws.OPEN) return current;
  const ws = await openHostSocket(running.host);
  ws.on('error', () => {});
  const answers = new Map<number, () => void>();
  ws.on('message', (data) => {
    const parsed = JSON.parse(String(data)) as { type: string; id?: number };
    if (parsed.type === 'result' && typeof parsed.id === 'number') answers.get(parsed.id)?.();
  });
  current = { ws, answers, closed: closed(ws) };
  return current;
}

/** What became of one frame: answered (a result with its id), closed (with a code), or nothing in time. */
async function outcome(sent: Frame): Promise<string> {
  const conn = await connection();
  const answered =
    sent.kind === 'call'
      ? new Promise<string>((resolve) => conn.answers.set(sent.id, () => resolve('answered')))
      : new Promise<string>(() => {});
  if (sent.kind === 'bytes') conn.ws.send(sent.bytes, { binary: sent.binary });
  else conn.ws.send(sent.text);
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    answered,
    conn.closed.then(({ code }) => (CLEAN_CLOSES.has(code) ? 'closed' : `closed uncleanly (${code})`)),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve('no answer'), ANSWER_TIMEOUT_MS))),
    // A frame that is not a call and was not refused at once has been taken as something else: say so.
    ...(sent.kind === 'call'
      ? []
      : [new Promise<string>((resolve) => setTimeout(() => resolve('not refused'), 1000))]),
  ]);
  clearTimeout(timer);
  if (sent.kind === 'call') conn.answers.delete(sent.id);
  return result;
}

// ── HTTP requests ──────────────────────────────────────────────────────────────────────────────────────────

const httpToken = fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,12}$/);
const request = fc
  .record({
    method: fc.oneof(
      fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'),
      httpToken,
    ),
    target: fc.oneof(
      fc.constantFrom(
        '/',
        '/index.html',
        '/ws',
        '/ws?token=x',
        '*',
        'http://[',
        '//evil',
        '/..%2f..%2fetc/passwd',
        '/%00',
        '/%E0%A4%A',
      ),
      fc.webPath(),
      fc.string({ maxLength: 80, unit: 'binary-ascii' }),
    ),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', 'HTTP/9.9', 'HTCPCP/1.0', ''),
    host: fc.constantFrom('right', 'localhost', 'wrong', 'none'),
    origin: fc.constantFrom('right', 'wrong', 'null', 'none'),
    upgrade: fc.boolean(),
    token: fc.constantFrom('right', 'wrong', 'none'),
    extra: fc.array(
      fc.tuple(
        fc.string({ maxLength: 20, unit: 'binary-ascii' }),
        fc.string({ maxLength: 60, unit: 'binary-ascii' }),
      ),
      {
        maxLength: 3,
      },
    ),
    body: fc.uint8Array({ maxLength: 512 }),
  })
  .map((r) => {
    const { port, origin, token } = running.host;
    const lines = [`${r.method} ${r.target} ${r.version}`.trimEnd()];
    if (r.host !== 'none')
      lines.push(
        `Host: ${r.host === 'right' ? `127.0.0.1:${port}` : r.host === 'localhost' ? `localhost:${port}` : 'evil.example'}`,
      );
    if (r.origin !== 'none')
      lines.push(
        `Origin: ${r.origin === 'right' ? origin : r.origin === 'null' ? 'null' : 'http://evil.example'}`,
      );
    if (r.upgrade) {
      lines.push(
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
      );
      if (r.token !== 'none')
        lines.push(
          `Sec-WebSocket-Protocol: ${socketProtocols(r.token === 'right' ? token : 'wrong').join(', ')}`,
        );
    }
    for (const [name, value] of r.extra) lines.push(`${name}: ${value}`);
    if (r.body.length > 0) lines.push(`Content-Length: ${r.body.length}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), r.body]);
  });

// ── The properties ─────────────────────────────────────────────────────────────────────────────────────────

async function hostStillServes(): Promise<void> {
  const page = await rawExchange(
    running.host.port,
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${running.host.port}\r\n\r\n`,
  );
  expect(page.answer).toMatch(/^HTTP\/1\.1 200 /);
  const client = rpc(await openHostSocket(running.host));
  expect(await client.call('getHostInfo')).toMatchObject({ ok: true, value: { kind: 'headless' } });
}

describe(`the host under ${TOTAL_RUNS} random frames and requests (seed ${SEED})`, () => {
  const budgetMs = Math.max(120_000, TOTAL_RUNS * 30);

  it(
    'answers every call frame, closes the connection of every other frame cleanly, and stays up',
    async () => {
      await fc.assert(
        fc.asyncProperty(frame, async (sent) => {
          const result = await outcome(sent);
          const expected = sent.kind === 'call' ? ['answered', 'closed'] : ['closed'];
          if (!expected.includes(result)) throw new Error(`${sent.kind} frame: ${result}`);
        }),
        { seed: SEED, numRuns: FRAME_RUNS, endOnFailure: true },
      );
      current?.ws.close();
      await hostStillServes();
    },
    budgetMs,
  );

  it(
    'answers every HTTP request with a status or closes it, and stays up',
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async (bytes) => {
          const { answer, closedByHost } = await rawExchange(running.host.port, bytes, ANSWER_TIMEOUT_MS);
          // A good upgrade is answered with 101; the socket it opens closes when this client leaves.
          if (!/^HTTP\/1\.[01] [1-5]\d\d /.test(answer) && !closedByHost)
            throw new Error('neither answered nor closed');
        }),
        { seed: SEED + 1, numRuns: REQUEST_RUNS, endOnFailure: true },
      );
      await hostStillServes();
    },
    budgetMs,
  );
});

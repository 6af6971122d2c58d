/**
 * The headless host end to end: the real engine and the real sandbox behind the host, a WebSocket client in front.
 * Access checks (token, Host, Origin) and a full invoke + event round trip.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HeadlessServerFrame } from '../../../common/headless-protocol.ts';
import { runHeadless } from '../../../main/host/headless/run.ts';

let dir: string;
let running: Awaited<ReturnType<typeof runHeadless>>;

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: running.host.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

/** A minimal client of the host's protocol: calls by id, and every event kept in arrival order. */
function rpc(ws: WebSocket) {
  let nextId = 1;
  const events: { event: string; payload: unknown }[] = [];
  const waiting = new Map<number, (frame: HeadlessServerFrame) => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as HeadlessServerFrame;
    if (frame.type === 'event') events.push({ event: frame.event, payload: frame.payload });
    else waiting.get(frame.id)?.(frame);
  });
  return {
    events,
    call(method: string, ...args: unknown[]): Promise<HeadlessServerFrame> {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, args }));
      });
    },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-headless-'));
  const rendererDir = join(dir, 'renderer');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Alegion Uploader</title>');
  await writeFile(join(dir, 'outside.txt'), 'not served');
  await mkdir(join(dir, 'state'));
  running = await runHeadless({
    stateDir: join(dir, 'state'),
    appVersion: '0.0.0-test',
    rendererDir,
    roots: [dir],
  });
});

afterAll(async () => {
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('page access', () => {
  it('serves the page with the right token, with a CSP header and a same-site cookie', async () => {
    const res = await get(`/?token=${running.host.token}`, { host: `127.0.0.1:${running.host.port}` });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Alegion Uploader');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(res.headers['set-cookie'])).toContain('SameSite=Strict');
  });

  it('refuses a missing or wrong token', async () => {
    const host = { host: `127.0.0.1:${running.host.port}` };
    expect((await get('/', host)).status).toBe(401);
    expect((await get('/?token=wrong', host)).status).toBe(401);
    expect((await get('/index.html', { ...host, cookie: 'alegion_token=wrong' })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the right token', async () => {
    const res = await get(`/?token=${running.host.token}`, { host: `attacker.example:${running.host.port}` });
    expect(res.status).toBe(421);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const res = await get(`/?token=${running.host.token}`, {
      host: `127.0.0.1:${running.host.port}`,
      origin: 'http://attacker.example',
    });
    expect(res.status).toBe(403);
  });

  it('never serves a file outside the renderer folder', async () => {
    const res = await get(`/..%2Foutside.txt?token=${running.host.token}`, {
      host: `127.0.0.1:${running.host.port}`,
    });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('not served');
  });
});

describe('socket access', () => {
  const socketUrl = (token: string) => `ws://127.0.0.1:${running.host.port}/ws?token=${token}`;

  it('refuses a wrong token', async () => {
    await expect(openSocket(socketUrl('wrong'), { origin: running.host.origin })).rejects.toThrow(/403/);
  });

  it('refuses a foreign Origin', async () => {
    await expect(
      openSocket(socketUrl(running.host.token), { origin: 'http://attacker.example' }),
    ).rejects.toThrow(/403/);
  });

  it('refuses a missing Origin', async () => {
    await expect(openSocket(socketUrl(running.host.token), {})).rejects.toThrow(/403/);
  });

  it('refuses a foreign Host', async () => {
    await expect(
      openSocket(socketUrl(running.host.token), { origin: running.host.origin, host: 'attacker.example' }),
    ).rejects.toThrow(/403/);
  });
});

describe('round trip', () => {
  it('starts the sandbox, receives connectionChanged, lists workflows and creates a batch', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${running.host.port}/ws?token=${running.host.token}`, {
      origin: running.host.origin,
    });
    const client = rpc(ws);
    try {
      const started = await client.call('startSandbox');
      expect(started).toMatchObject({ ok: true, value: { status: 'connected', isSandbox: true } });
      const statuses = client.events
        .filter((e) => e.event === 'connectionChanged')
        .map((e) => (e.payload as { status: string }).status);
      expect(statuses).toEqual(expect.arrayContaining(['connecting', 'connected']));

      const workflows = await client.call('listWorkflows');
      if (workflows.type !== 'result' || !workflows.ok) throw new Error('listWorkflows failed');
      const list = workflows.value as { id: string; name: string }[];
      expect(list.length).toBeGreaterThan(0);

      const created = await client.call('createBatch', {
        workflowId: list[0]!.id,
        name: 'headless batch',
        isEnabled: false,
      });
      expect(created).toMatchObject({ ok: true, value: { name: 'headless batch', isEnabled: false } });

      const settings = await client.call('updateSettings', { concurrency: 3 });
      expect(settings).toMatchObject({ ok: true, value: { concurrency: 3 } });
      expect(client.events.some((e) => e.event === 'settingsChanged')).toBe(true);
    } finally {
      ws.close();
    }
  });

  it('rejects malformed arguments with a code and a message, not a stack', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${running.host.port}/ws?token=${running.host.token}`, {
      origin: running.host.origin,
    });
    const client = rpc(ws);
    try {
      const bad = await client.call('listBatches', 'not-a-uuid');
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
      if (bad.type === 'result' && !bad.ok) expect(bad.error.message).not.toMatch(/\n\s+at /);
      const unknown = await client.call('constructor');
      expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    } finally {
      ws.close();
    }
  });

  it('browses only inside the allowed roots', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${running.host.port}/ws?token=${running.host.token}`, {
      origin: running.host.origin,
    });
    const client = rpc(ws);
    try {
      const inside = await client.call('browse', dir);
      expect(inside).toMatchObject({ ok: true });
      const outside = await client.call('browse', '/');
      expect(outside).toMatchObject({ ok: false, error: { code: 'outside-roots' } });
    } finally {
      ws.close();
    }
  });
});

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
import { socketProtocols } from '../../../common/headless-protocol.ts';
import type { runHeadless } from '../../../main/host/headless/run.ts';
import { rpc, runTestHost } from './socket-client.ts';

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

function openSocket(
  url: string,
  headers: Record<string, string>,
  token = running.host.token,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, socketProtocols(token), { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-headless-'));
  await writeFile(join(dir, 'outside.txt'), 'not served');
  running = await runTestHost(dir, { roots: [dir] });
});

afterAll(async () => {
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('page access', () => {
  it('serves the page (the public build) with a CSP header and no cookie: the token is never a cookie', async () => {
    const res = await get('/', { host: `127.0.0.1:${running.host.port}` });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Alegion Uploader');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('prints a URL that carries the token in the fragment, which browsers never send', () => {
    expect(running.host.url).toBe(`${running.host.origin}/#token=${running.host.token}`);
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
  const socketUrl = (_token?: string) => `ws://127.0.0.1:${running.host.port}/ws`;

  it('refuses a wrong token', async () => {
    await expect(openSocket(socketUrl(), { origin: running.host.origin }, 'wrong')).rejects.toThrow(/403/);
  });

  it('refuses the token in the URL instead of the handshake', async () => {
    const ws = new WebSocket(`${socketUrl()}?token=${running.host.token}`, {
      headers: { origin: running.host.origin },
    });
    await expect(
      new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
      }),
    ).rejects.toThrow(/403/);
  });

  it('accepts the token as a subprotocol and answers with the protocol name only', async () => {
    const ws = await openSocket(socketUrl(), { origin: running.host.origin });
    expect(ws.protocol).toBe('alegion.v1');
    ws.close();
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
    const ws = await openSocket(`ws://127.0.0.1:${running.host.port}/ws`, {
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
    const ws = await openSocket(`ws://127.0.0.1:${running.host.port}/ws`, {
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
    const ws = await openSocket(`ws://127.0.0.1:${running.host.port}/ws`, {
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

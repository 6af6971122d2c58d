/**
 * The headless host against a hostile or careless local client: frames and requests that used to end the process
 * end only their own connection, while uploads in flight go on; every path argument is held to the roots; the
 * token is never handed out as a cookie.
 */
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { QueueTotals, ScanSummary, Settings, WorkflowView } from '../../../common/api.ts';
import { HEADLESS_MAX_FRAME_BYTES } from '../../../common/headless-protocol.ts';
import type { runHeadless } from '../../../main/host/headless/run.ts';
import { closed, openHostSocket, rawExchange, rpc, runTestHost, upgradeRequest } from './socket-client.ts';

let dir: string;
let data: string;
let outside: string;
let running: Awaited<ReturnType<typeof runHeadless>>;
const open: WebSocket[] = [];

async function socket() {
  const ws = await openHostSocket(running.host);
  open.push(ws);
  return ws;
}

function pageStatus(): Promise<{ status: number; cookie: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: running.host.port,
        path: '/',
        headers: { host: `127.0.0.1:${running.host.port}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie'] }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const IMAGES = ['image-16x12.png', 'image-16x12.jpg', 'image-16x12.gif', 'image-16x12.webp'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-hostile-'));
  data = join(dir, 'data');
  outside = join(dir, 'outside');
  await mkdir(join(data, 'images'), { recursive: true });
  await mkdir(outside);
  for (let i = 0; i < 40; i += 1) {
    const source = IMAGES[i % IMAGES.length] as string;
    await copyFile(join('test/fixtures/media', source), join(data, 'images', `img-${i}${source.slice(-4)}`));
  }
  await writeFile(join(outside, 'secret.csv'), 'text\nsecret\n');
  await copyFile('test/fixtures/media/image-16x12.png', join(outside, 'private.png'));
  await symlink(join(outside, 'private.png'), join(data, 'link.png'));
  await symlink(outside, join(data, 'escape'));
  running = await runTestHost(dir, { roots: [data] });
});

afterAll(async () => {
  for (const ws of open) ws.terminate();
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('bad frames and requests end one connection, and uploads in flight go on', () => {
  it('closes an oversized frame (1009), invalid UTF-8 (1007), a binary frame and a malformed one (1003)', async () => {
    const big = await socket();
    const bigClosed = closed(big);
    big.send('x'.repeat(HEADLESS_MAX_FRAME_BYTES + 1));
    expect((await bigClosed).code).toBe(1009);

    const utf8 = await socket();
    const utf8Closed = closed(utf8);
    utf8.send(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28]), { binary: false });
    expect((await utf8Closed).code).toBe(1007);

    const binary = await socket();
    const binaryClosed = closed(binary);
    binary.send(Buffer.from('{"type":"call","id":1,"method":"getHostInfo","args":[]}'), { binary: true });
    expect(await binaryClosed).toEqual({ code: 1003, reason: 'binary frames are not accepted' });

    const malformed = await socket();
    const malformedClosed = closed(malformed);
    malformed.send('{"type":"call","id":"one"}');
    expect((await malformedClosed).code).toBe(1003);

    expect((await pageStatus()).status).toBe(200);
  });

  it('answers a request line that is not a URL, with upgrade headers, with 400 before any token check', async () => {
    const bad = await rawExchange(running.host.port, upgradeRequest(running.host, 'GET http://[ HTTP/1.1'));
    expect(bad.answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(bad.answer).toMatch(/\r\nConnection: close\r\n/i);
    const garbage = await rawExchange(running.host.port, 'BREW /pot\0 HTCPCP/1.0\r\n\r\n');
    expect(garbage.answer).toMatch(/^HTTP\/1\.1 400 /);
    expect((await pageStatus()).status).toBe(200);
  });

  it('keeps uploading while other connections send all of the above', async () => {
    const client = rpc(await socket());
    await client.value('startSandbox');
    const workflows = await client.value<WorkflowView[]>('listWorkflows');
    const images = workflows.find((w) => w.kind === 'image') ?? workflows[0]!;
    let scan = await client.value<ScanSummary>('scanPaths', {
      paths: [join(data, 'images')],
      workflowId: images.id,
    });
    while (!scan.complete) scan = await client.value<ScanSummary>('getScan', scan.scanId);
    const files = scan.byKind.image.files;
    expect(files).toBeGreaterThanOrEqual(30);
    await client.value('queueScan', {
      scanId: scan.scanId,
      target: { workflowId: images.id, newBatch: { name: 'under fire', isEnabled: true } },
    });

    const attacks = [
      (async () => {
        const ws = await socket();
        const done = closed(ws);
        ws.send('y'.repeat(HEADLESS_MAX_FRAME_BYTES + 1024));
        return (await done).code;
      })(),
      (async () => {
        const ws = await socket();
        const done = closed(ws);
        ws.send(Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa]), { binary: false });
        return (await done).code;
      })(),
      rawExchange(running.host.port, upgradeRequest(running.host, 'GET http://[ HTTP/1.1')).then((r) =>
        r.answer.slice(0, 12),
      ),
    ];
    expect(await Promise.all(attacks)).toEqual([1009, 1007, 'HTTP/1.1 400']);

    let totals = await client.value<QueueTotals>('getQueueTotals');
    const deadline = Date.now() + 60_000;
    while (totals.files.done < files && totals.files.failed === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      totals = await client.value<QueueTotals>('getQueueTotals');
    }
    expect(totals.files).toMatchObject({ done: files, failed: 0 });
  });
});

describe('every path argument stays inside the roots', () => {
  const WF = '11111111-1111-4111-8111-111111111111';
  const target = { workflowId: WF, newBatch: { name: 'b', isEnabled: true } };

  it.each([
    ['scanPaths of a folder outside', 'scanPaths', () => [{ paths: [outside] }]],
    ['scanPaths of /etc, typed into Add by path', 'scanPaths', () => [{ paths: ['/etc'] }]],
    ['scanPaths through ..', 'scanPaths', () => [{ paths: [join(data, '..', 'outside')] }]],
    ['scanPaths of a link to a file outside', 'scanPaths', () => [{ paths: [join(data, 'link.png')] }]],
    [
      'scanPaths through a linked folder',
      'scanPaths',
      () => [{ paths: [join(data, 'escape', 'private.png')] }],
    ],
    [
      'scanPaths with one bad path among good ones',
      'scanPaths',
      () => [{ paths: [join(data, 'images'), outside] }],
    ],
    ['addRecordsFile outside', 'addRecordsFile', () => [{ path: join(outside, 'secret.csv'), target }]],
    ['startExport to a destination outside', 'startExport', () => [{ workflowId: WF, destination: outside }]],
    [
      'startExport to a new folder outside',
      'startExport',
      () => [{ workflowId: WF, destination: join(outside, 'new', 'x') }],
    ],
    ['updateSettings with a downloadDir outside', 'updateSettings', () => [{ downloadDir: '/tmp' }]],
    ['showInFolder outside', 'showInFolder', () => [join(outside, 'private.png')]],
    ['browse of a missing folder outside', 'browse', () => [join(outside, 'missing')]],
  ] as const)('refuses %s', async (_name, method, args) => {
    const client = rpc(await socket());
    const before = await client.value<Settings>('getSettings');
    const answer = await client.call(method, ...args());
    expect(answer).toMatchObject({ ok: false, error: { code: 'outside-roots' } });
    if (answer.type === 'result' && !answer.ok) {
      expect(answer.error.message).toMatch(/is outside the folders this host allows/);
      expect(answer.error.message).toContain('--root');
    }
    expect(await client.value<Settings>('getSettings')).toEqual(before);
  });

  it('refuses a relative path, which would depend on where the host was started', async () => {
    const client = rpc(await socket());
    expect(await client.call('scanPaths', { paths: ['data/images'] })).toMatchObject({
      ok: false,
      error: { code: 'not-absolute' },
    });
  });

  it('accepts paths inside the roots, and a new folder to be created there', async () => {
    const client = rpc(await socket());
    const settings = await client.value<Settings>('updateSettings', {
      downloadDir: join(data, 'downloads', 'new'),
    });
    expect(settings.downloadDir).toBe(join(data, 'downloads', 'new'));
    const scan = await client.value<ScanSummary>('scanPaths', { paths: [data] });
    expect(scan.scanId).toBeTruthy();
  });
});

/**
 * The browser host's download route over real HTTP: a registered file downloads with a fresh signed link or the
 * token in a header, as an attachment; an expired or altered link, another file's link, an unknown id and the
 * raw token in the query are refused.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDownloadLinks, DOWNLOAD_LINK_MS } from '../../../../../main/host/headless/download-links.ts';
import { serveHttp } from '../../../../../main/host/headless/http-front.ts';

const TOKEN = 'a'.repeat(43);
let dir: string;
let server: Server;
let base: string;
let clock = 1_000_000;
const links = createDownloadLinks(TOKEN, () => clock);
const files = new Map<string, { path: string; name: string }>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'download-route-'));
  await writeFile(join(dir, 'list.csv'), 'file,status\na.png,canceled\n');
  await writeFile(join(dir, 'other.csv'), 'secret other file\n');
  files.set('one', { path: join(dir, 'list.csv'), name: 'Shelf — exceptions.csv' });
  files.set('two', { path: join(dir, 'other.csv'), name: 'other.csv' });
  const listener = {
    port: 0,
    origin: '',
    rendererDir: dir,
    downloads: { links, find: (id: string) => files.get(id) ?? null },
  };
  server = createServer((req, res) => void serveHttp(req, res, listener));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${listener.port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('download route', () => {
  it('serves a registered file as an attachment to a fresh signed link, without the token in the link', async () => {
    const link = links.link('one');
    expect(link).not.toContain(TOKEN);
    const res = await fetch(base + link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('Shelf — exceptions.csv')}`,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = Buffer.from(await res.arrayBuffer());
    const onDisk = 'file,status\na.png,canceled\n';
    expect(createHash('md5').update(body).digest('hex')).toBe(createHash('md5').update(onDisk).digest('hex'));
  });

  it('serves it to the token in the header, and refuses a wrong one', async () => {
    expect((await fetch(`${base}/download/one`, { headers: { 'x-alegion-token': TOKEN } })).status).toBe(200);
    expect(
      (await fetch(`${base}/download/one`, { headers: { 'x-alegion-token': 'b'.repeat(43) } })).status,
    ).toBe(404);
  });

  it('refuses an expired link, an altered one, another file’s link, an unknown id and a bare token query', async () => {
    const link = links.link('one');
    clock += DOWNLOAD_LINK_MS + 1;
    expect((await fetch(base + link)).status).toBe(404);
    const fresh = links.link('one');
    expect(
      (await fetch(base + fresh.replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A')))).status,
    ).toBe(404);
    // A link is for its own file only.
    expect((await fetch(base + fresh.replace('/download/one', '/download/two'))).status).toBe(404);
    expect((await fetch(base + links.link('three'))).status).toBe(404);
    expect((await fetch(`${base}/download/one?token=${TOKEN}`)).status).toBe(404);
    // An expiry pushed past the link's lifetime is refused even before the signature is checked.
    const far = fresh.replace(/expires=\d+/, `expires=${clock + DOWNLOAD_LINK_MS * 10}`);
    expect((await fetch(base + far)).status).toBe(404);
  });
});

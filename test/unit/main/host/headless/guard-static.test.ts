/** The headless host's checks as pure functions: token, Host, Origin, cookie, and static paths. */
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createToken,
  hostAllowed,
  originAllowed,
  tokenFromProtocols,
  tokenMatches,
} from '../../../../../main/host/headless/guard.ts';
import { headlessCsp, loadStatic } from '../../../../../main/host/headless/static-files.ts';
import { openJsonSettingsStore } from '../../../../../main/host/headless/json-settings-store.ts';

describe('guard', () => {
  it('makes long random tokens and compares them exactly', () => {
    const token = createToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createToken()).not.toBe(token);
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(tokenMatches(`${token}x`, token)).toBe(false);
    expect(tokenMatches(null, token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
  });

  it('accepts only this listener as Host', () => {
    expect(hostAllowed('127.0.0.1:5000', 5000)).toBe(true);
    expect(hostAllowed('localhost:5000', 5000)).toBe(true);
    expect(hostAllowed('127.0.0.1:5001', 5000)).toBe(false);
    expect(hostAllowed('attacker.example:5000', 5000)).toBe(false);
    expect(hostAllowed('127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed(undefined, 5000)).toBe(false);
  });

  it('accepts only this listener’s origin, and absence only where browsers may omit it', () => {
    expect(originAllowed('http://127.0.0.1:5000', 5000, true)).toBe(true);
    expect(originAllowed('http://attacker.example', 5000, false)).toBe(false);
    expect(originAllowed('https://127.0.0.1:5000', 5000, true)).toBe(false);
    expect(originAllowed('null', 5000, true)).toBe(false);
    expect(originAllowed(undefined, 5000, true)).toBe(false);
    expect(originAllowed(undefined, 5000, false)).toBe(true);
  });

  it('reads the token from the offered subprotocols, and only when one is offered once', () => {
    expect(tokenFromProtocols('alegion.v1, alegion-token.abc_-1')).toBe('abc_-1');
    expect(tokenFromProtocols('alegion-token.abc')).toBe('abc');
    expect(tokenFromProtocols('alegion.v1')).toBeNull();
    expect(tokenFromProtocols('alegion-token.a, alegion-token.b')).toBeNull();
    expect(tokenFromProtocols(undefined)).toBeNull();
  });
});

describe('static files', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'alegion-static-'));
    await mkdir(join(base, 'root', 'assets'), { recursive: true });
    await writeFile(join(base, 'root', 'index.html'), '<html>');
    await writeFile(join(base, 'root', 'assets', 'a.js'), 'js');
    await writeFile(join(base, 'secret.txt'), 'secret');
    await symlink(join(base, 'secret.txt'), join(base, 'root', 'link.txt'));
  });
  afterAll(async () => rm(base, { recursive: true, force: true }));

  it('serves files of the build with their type', async () => {
    expect(await loadStatic(join(base, 'root'), '/assets/a.js')).toMatchObject({
      type: expect.stringContaining('javascript'),
    });
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/link.txt', '/%00', '/%E0%A4%A'])(
    'refuses %s',
    async (path) => expect(await loadStatic(join(base, 'root'), path)).toBeNull(),
  );

  it('sends a CSP allowing sockets to this host only', () => {
    const csp = headlessCsp('http://127.0.0.1:5000');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:5000");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('keeps settings in an owner-only JSON file and sets a corrupt one aside', async () => {
    const dir = join(base, 'state');
    await mkdir(dir);
    const store = openJsonSettingsStore(dir);
    store.set('settings', { concurrency: 2 });
    expect(openJsonSettingsStore(dir).get('settings')).toEqual({ concurrency: 2 });
    await writeFile(store.path, '{ not json');
    expect(openJsonSettingsStore(dir).get('settings')).toBeUndefined();
  });
});

/** The CSP and the `app://` scheme: a strict policy on every response, and no file outside the build served. */
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_CSP } from '../../../../main/app/csp.ts';
import {
  APP_SCHEME_PRIVILEGES,
  appUrlToPath,
  handleAppProtocol,
  serveAppRequest,
} from '../../../../main/app/protocol.ts';

/** Parses a policy into directive → sources. */
function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name, sources);
  }
  return out;
}

describe('the CSP', () => {
  const policy = directives(APP_CSP);

  it('allows scripts from the app only: no inline script, no eval, no remote origin', () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(policy.get('default-src')).toEqual(["'self'"]);
  });

  it('forbids plugins, base rewriting, form posts, framing and remote connections', () => {
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
  });

  it('matches the page: the meta policy of renderer/index.html is as strict for scripts', async () => {
    const html = await readFile(join(process.cwd(), 'renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const page = directives(meta!);
    expect(page.get('script-src')).toEqual(["'self'"]);
    expect(page.get('object-src')).toEqual(["'none'"]);
    expect(meta).not.toContain('unsafe-eval');
  });
});

describe('the app:// scheme', () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), 'alegion-protocol-'));
    root = join(base, 'renderer');
    outside = join(base, 'secret.txt');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(outside, 'top secret');
    await symlink(outside, join(root, 'link.txt'));
  });

  afterAll(async () => rm(join(root, '..'), { recursive: true, force: true }));

  it('is registered as standard and secure', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
  });

  it.each([
    'app://renderer/../secret.txt',
    'app://renderer/%2e%2e/secret.txt',
    'app://renderer/..%2fsecret.txt',
    'app://renderer/assets/..%2f..%2fsecret.txt',
    'app://renderer/%00index.html',
    'app://other/index.html',
    'file:///etc/passwd',
    'https://renderer/index.html',
  ])('refuses %s', (url) => {
    // Either refused, or (after URL normalisation) a path that stays inside the build folder.
    const path = appUrlToPath(url, root);
    expect(path === null || path.startsWith(`${root}/`)).toBe(true);
  });

  it('serves a file of the build with its type and the CSP header', async () => {
    const res = await serveAppRequest('app://renderer/assets/app.js', root);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await res.text()).toBe('console.log(1)');
  });

  it('serves index.html for the bare origin', async () => {
    const res = await serveAppRequest('app://renderer/', root);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>app</title>');
  });

  it('answers 404 for traversal, a symlink leading outside, and missing files', async () => {
    for (const url of [
      'app://renderer/..%2fsecret.txt',
      'app://renderer/link.txt',
      'app://renderer/nope.js',
    ]) {
      const res = await serveAppRequest(url, root);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('top secret');
    }
  });

  it('registers its handler with protocol.handle', async () => {
    const handle = vi.fn();
    handleAppProtocol({ handle }, root);
    expect(handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = handle.mock.calls[0]![1] as (request: { url: string }) => Promise<Response>;
    expect((await handler({ url: 'app://renderer/index.html' })).status).toBe(200);
  });
});

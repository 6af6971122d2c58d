/**
 * The `app://renderer/` scheme: the renderer build served from the app's own files, not `file://` (which would
 * give the page access to every file URL). Only files inside the build folder are served; anything else is 404.
 * Every response carries the strict CSP.
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { APP_CSP } from './csp.ts';

const APP_SCHEME = 'app';
const APP_HOST = 'renderer';

/** The scheme's privileges: standard and secure (so the page is a secure context with an origin), no CORS, no fetch. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false },
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Maps an `app://renderer/...` URL to a path inside `root`, or null (wrong host, traversal, encoded tricks). */
export function appUrlToPath(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = normalize(decoded).replace(/^([/\\])+/, '') || 'index.html';
  if (relative.split(/[/\\]/).includes('..')) return null;
  const full = join(root, relative);
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/** Answers one request of the scheme: the file with its type and the CSP, or 404. */
export async function serveAppRequest(url: string, root: string): Promise<Response> {
  const path = appUrlToPath(url, root);
  const notFound = () =>
    new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  if (!path) return notFound();
  try {
    // A symlink inside the build must not lead outside it.
    const [real, realRoot] = await Promise.all([realpath(path), realpath(root)]);
    if (!real.startsWith(realRoot + sep)) return notFound();
    const body = await readFile(real);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': TYPES[extname(real)] ?? 'application/octet-stream',
        'content-security-policy': APP_CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  } catch {
    return notFound();
  }
}

/** Registers the handler of the scheme (after `app.whenReady()`). */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request.url, root));
}

/** The URL the window loads. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

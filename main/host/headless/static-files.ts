/**
 * Serves the renderer build from one folder: only files inside it (no traversal, no symlinks out), with the same
 * strict Content-Security-Policy the desktop app sends, and headers that keep the page out of frames and caches.
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The page's Content-Security-Policy: scripts and styles from the app only, sockets to the host only. */
export function headlessCsp(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response of the host carries. */
export function securityHeaders(origin: string): Record<string, string> {
  return {
    'content-security-policy': headlessCsp(origin),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/** Resolves a URL path to a file inside `root`, or null when it would leave it. */
async function resolveStatic(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = normalize(decoded).replace(/^([/\\])+/, '') || 'index.html';
  if (relative.split(/[/\\]/).includes('..')) return null;
  const realRoot = await realpath(root);
  try {
    const real = await realpath(join(realRoot, relative));
    return real.startsWith(realRoot + sep) ? real : null;
  } catch {
    return null;
  }
}

/** Reads a static file with its content type, or null. */
export async function loadStatic(
  root: string,
  urlPath: string,
): Promise<{ body: Buffer; type: string } | null> {
  const file = await resolveStatic(root, urlPath);
  if (!file) return null;
  try {
    const body = await readFile(file);
    return { body, type: TYPES[extname(file)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}

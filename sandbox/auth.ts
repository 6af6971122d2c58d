/**
 * Authentication: the API key on every request, access tokens from `POST /login`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SandboxApp } from './app.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the request carries the accepted x-api-key. */
export function hasApiKey(app: SandboxApp, req: IncomingMessage): boolean {
  const key = req.headers['x-api-key'];
  return typeof key === 'string' && sameSecret(key, app.apiKey);
}

/** True when the request carries a live bearer token. */
export function hasValidToken(app: SandboxApp, req: IncomingMessage): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const match = /^bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const expiresAt = app.state.tokens.get(match[1]);
  if (expiresAt === undefined) return false;
  if (expiresAt <= Date.now()) {
    app.state.tokens.delete(match[1]);
    return false;
  }
  return true;
}

/** Checks a login; returns a new token, or null when the credentials are wrong. */
export function issueToken(app: SandboxApp, username: string, password: string): string | null {
  if (!sameSecret(username, app.options.username) || !sameSecret(password, app.options.password)) return null;
  const token = randomBytes(32).toString('base64url');
  app.state.tokens.set(token, Date.now() + app.options.tokenTtl * 1000);
  app.state.counters.logins++;
  return token;
}

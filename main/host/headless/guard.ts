/**
 * The headless host's access checks, as pure functions: a random token (compared in constant time, presented as a
 * WebSocket subprotocol), and the Host and Origin headers, which must name this very listener on the loopback
 * address. A page on another site (or a
 * DNS name rebound to 127.0.0.1) fails the Host or Origin check even if it guessed the port.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_SUBPROTOCOL_PREFIX } from '../../../common/headless-protocol.ts';

/** A fresh access token: 32 random bytes, URL-safe. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** True when `given` equals `token` (constant time; absent or different length is false). */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Host header values this listener answers to. */
function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** True when the Host header names this listener (DNS rebinding defence). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return typeof host === 'string' && allowedHosts(port).includes(host.toLowerCase());
}

/**
 * True when the Origin header is this listener's own origin. Browsers always send Origin on WebSocket upgrades;
 * page loads and same-origin GETs may omit it, so `required` says whether absence is refused.
 */
export function originAllowed(origin: string | undefined, port: number, required: boolean): boolean {
  if (origin === undefined) return !required;
  return allowedHosts(port).some((host) => origin.toLowerCase() === `http://${host}`);
}

/** The token offered in a Sec-WebSocket-Protocol header, or null (at most one token subprotocol is honoured). */
export function tokenFromProtocols(header: string | undefined): string | null {
  if (!header) return null;
  const offered = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
  return offered.length === 1 ? (offered[0] as string).slice(TOKEN_SUBPROTOCOL_PREFIX.length) : null;
}

/**
 * Signed storage URLs, like CloudFront's: the path, an expiry and an HMAC over both. Anything altered, or a URL
 * used after its expiry, is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signature grants: uploading an asset or downloading an export. */
export type SignedScope = 'PUT' | 'GET';

function signature(key: Buffer, scope: SignedScope, pathname: string, expires: number): string {
  return createHmac('sha256', key).update(`${scope}\n${pathname}\n${expires}`).digest('base64url');
}

/** An absolute URL for `pathname` that lives `ttlSeconds`. */
export function signUrl(
  key: Buffer,
  origin: string,
  scope: SignedScope,
  pathname: string,
  ttlSeconds: number,
): string {
  const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
  const query = `Expires=${expires}&Signature=${signature(key, scope, pathname, expires)}&Key-Pair-Id=SANDBOX`;
  return `${origin}${pathname}?${query}`;
}

/** Why a signed URL is refused, or null when it is good. */
export function checkSignedUrl(key: Buffer, scope: SignedScope, url: URL): 'expired' | 'invalid' | null {
  const expiresText = url.searchParams.get('Expires');
  const given = url.searchParams.get('Signature');
  if (expiresText === null || given === null || !/^\d+$/.test(expiresText)) return 'invalid';
  if (url.searchParams.get('Key-Pair-Id') !== 'SANDBOX') return 'invalid';
  const expires = Number(expiresText);
  const expected = Buffer.from(signature(key, scope, url.pathname, expires));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'invalid';
  if (expires * 1000 <= Date.now()) return 'expired';
  return null;
}

/** The S3-style XML body of a refused storage request. */
export function accessDeniedXml(reason: 'expired' | 'invalid'): string {
  const message = reason === 'expired' ? 'Request has expired' : 'Access Denied';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>AccessDenied</Code><Message>${message}</Message></Error>`
  );
}

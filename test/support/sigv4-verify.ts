/**
 * Verifies a SigV4 presigned request (query-string authentication) as S3 does, written from the AWS documentation
 * ("Authenticating requests: using query parameters", "Create a canonical request"): the canonical request is the
 * method, the path with each segment decoded and encoded again (RFC 3986, as S3 does not normalise paths further),
 * the query without `X-Amz-Signature` (names and values encoded, sorted), the signed headers, and the payload hash;
 * its SHA-256 is signed with the key derived from the secret, date, region and service. s3rver checks none of
 * this for SigV4, so the storage tests put this check in front of it.
 */
import { createHash, createHmac } from 'node:crypto';
import { encodeSegment } from './sigv2-presign.ts';

interface ReceivedRequest {
  method: string;
  /** The path as it arrived, still percent-encoded. */
  path: string;
  /** The query string as it arrived, without `?`. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A query component as a server reads it: `+` is a space, then percent-decoding. */
function decodeQuery(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/**
 * Why the request's SigV4 query signature does not hold (for the secret of its access key), or undefined when it
 * does. Requests signed otherwise are not this function's business: undefined too.
 */
export function sigV4Problem(request: ReceivedRequest, secretAccessKey: string): string | undefined {
  const pairs = request.query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0
        ? [decodeQuery(pair), '']
        : [decodeQuery(pair.slice(0, at)), decodeQuery(pair.slice(at + 1))];
    }) as [string, string][];
  const get = (name: string): string | undefined => pairs.find(([key]) => key === name)?.[1];
  if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return undefined;
  const credential = get('X-Amz-Credential') ?? '';
  const date = get('X-Amz-Date') ?? '';
  const signedHeaders = get('X-Amz-SignedHeaders') ?? '';
  const given = get('X-Amz-Signature') ?? '';
  const [, ...scopeParts] = credential.split('/');
  const [day = '', region = '', service = ''] = scopeParts;
  const canonicalPath = request.path
    .split('/')
    .map((segment) => encodeSegment(decodeURIComponent(segment)))
    .join('/');
  const canonicalQuery = pairs
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [encodeSegment(name), encodeSegment(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const headerLines = signedHeaders.split(';').map((name) => {
    const value = request.headers[name];
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
  });
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery,
    headerLines.join(''),
    signedHeaders,
    get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scopeParts.join('/'),
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return expected === given ? undefined : 'the SigV4 signature does not match the request';
}

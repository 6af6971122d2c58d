/**
 * A query-string presigner for S3 Signature Version 2, written from the S3 documentation ("Query string request
 * authentication alternative"): `Signature` is the base64 HMAC-SHA1, with the secret key, of
 * `METHOD\n<Content-MD5>\n<Content-Type>\n<Expires>\n/bucket/key`. The key's segments are written as S3 signs them
 * (RFC 3986: everything but letters, digits and `-._~` percent-encoded), and the URL carries that same path, so the
 * client must send the path and query exactly as given for the signature to hold. Signed query parameters are
 * appended to the resource as `?name=value&…`, sorted, values unencoded.
 */
import { createHmac } from 'node:crypto';

interface SigV2Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

interface SigV2Request {
  method: 'PUT' | 'GET';
  /** `http://host:port`, no trailing slash. */
  endpoint: string;
  bucket: string;
  key: string;
  /** Seconds since the epoch after which the link is refused (in the past for an expired link). */
  expires: number;
  /** A Content-Type the request must then carry; signed as empty when absent. */
  contentType?: string;
  /**
   * Query parameters S3 signs with the path (`response-content-disposition` and the other `response-*` overrides):
   * signed with their values as they are, and written in the URL form-encoded, a space as `+` and a plus as `%2B`.
   */
  signedQuery?: Record<string, string>;
}

/** S3's UriEncode (RFC 3986): everything but `A-Za-z0-9-._~` percent-encoded, so `!'()*` too. */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The path `/bucket/key` with every segment encoded. */
function sigV2Path(bucket: string, key: string): string {
  return `/${encodeSegment(bucket)}/${key.split('/').map(encodeSegment).join('/')}`;
}

/** The base64 signature of a request. */
function sigV2Signature(credentials: SigV2Credentials, request: SigV2Request): string {
  const signed = Object.entries(request.signedQuery ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .sort();
  const resource = sigV2Path(request.bucket, request.key) + (signed.length > 0 ? `?${signed.join('&')}` : '');
  const stringToSign = [
    request.method,
    '',
    request.contentType ?? '',
    String(request.expires),
    resource,
  ].join('\n');
  return createHmac('sha1', credentials.secretAccessKey).update(stringToSign, 'utf8').digest('base64');
}

/** The signed URL: the signature's `+`, `/` and `=` percent-encoded in the query, as S3's own SDKs write them. */
export function presignV2(credentials: SigV2Credentials, request: SigV2Request): string {
  const signature = encodeURIComponent(sigV2Signature(credentials, request));
  const extra = Object.entries(request.signedQuery ?? {}).map(
    ([name, value]) => `&${name}=${encodeURIComponent(value).replace(/%20/g, '+')}`,
  );
  const query = `AWSAccessKeyId=${encodeURIComponent(credentials.accessKeyId)}&Expires=${request.expires}&Signature=${signature}${extra.join('')}`;
  return `${request.endpoint}${sigV2Path(request.bucket, request.key)}?${query}`;
}

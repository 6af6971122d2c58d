/**
 * A bare GET to a signed storage URL. The storage is not the Alegion API: the request carries only the headers
 * given here, never the x-api-key or a bearer token, and redirects are not followed (a signed link answers
 * directly or not at all).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { http, https } from '../alegion/node-http.ts';
import { readStorageRefusal, refusalWords } from '../alegion/storage-refusal.ts';
import { redactUrl } from './export-errors.ts';

/** A storage's refusal body is short; anything beyond this is not read into memory. */
const MAX_REFUSAL_BYTES = 64 * 1024;

/** An answer from storage: status, headers, and the body as a stream of Buffers. */
export interface StorageResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Buffer>;
  /** Drops the body without reading it (frees the socket). */
  discard(): void;
}

interface StorageRequestOptions {
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** Fails when no response headers arrive, or the body goes silent, for this long (ms). */
  idleTimeoutMs: number;
}

/** Opens `GET url` and resolves once the response headers are in. */
export type StorageGet = (url: string, options: StorageRequestOptions) => Promise<StorageResponse>;

/** The node:http(s) implementation of `StorageGet`. */
export const storageGet: StorageGet = (url, options) =>
  new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error('the download link is not a valid URL'));
      return;
    }
    const transport = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!transport) {
      reject(new Error(`unsupported download link scheme ${parsed.protocol}`));
      return;
    }
    const request = transport.get(parsed, { headers: options.headers, signal: options.signal });
    request.setTimeout(options.idleTimeoutMs, () => {
      request.destroy(new Error(`storage ${redactUrl(url)} went silent for ${options.idleTimeoutMs} ms`));
    });
    // Errors after the response arrived surface through the body stream; this only settles the promise.
    request.on('error', (error) => reject(error));
    request.once('response', (response: IncomingMessage) => {
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: response,
        discard: () => {
          response.resume();
          request.destroy();
        },
      });
    });
  });

/**
 * Why the storage refused a link (`403`), read from its body as the uploads read it (S3/CloudFront XML, HTML,
 * JSON): an expired link says so, anything else ("SignatureDoesNotMatch", an access policy) is given in the
 * storage's own words, so that a link that will never work is not reported as one that merely expired.
 */
export async function refusalReason(response: StorageResponse, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_REFUSAL_BYTES) break;
    }
  } catch {
    // A body cut short still says what it said so far.
  } finally {
    response.discard();
  }
  const refusal = readStorageRefusal(Buffer.concat(chunks).toString('utf8'), url);
  return refusal.expired
    ? 'the download link expired'
    : `the storage refused the download link: ${refusalWords(refusal)}`;
}

/**
 * PUT of a file to a signed storage URL. The URL carries its own authorization in its query, so no API key or
 * bearer token is sent (the storage must never see them), and the URL's query is never put in an error message.
 * The body is streamed from the caller's Readable, never buffered; a transfer is not retried here because the
 * stream cannot be replayed: the upload engine reopens the file and, on SignedUrlExpiredError, a new session.
 */
import got from 'got';
import type { Agents } from 'got';
import type { Readable } from 'node:stream';
import { BadResponseError, RequestRejectedError, ServerError, SignedUrlExpiredError } from './errors.ts';
import { errorForTransport, hostOf, serverMessage } from './failures.ts';
import type { PutOptions } from './types.ts';

export interface SignedUrlOptions {
  agent: Agents;
  /** Idle and connect timeout in ms: the transfer may take long, but never sit silent longer than this. */
  timeoutMs: number;
}

/** Creates the `putSignedUrl` function of the client. */
export function createSignedUrlPut(options: SignedUrlOptions) {
  const storage = got.extend({
    agent: options.agent,
    // No `send` or `request` limit: a large file takes as long as it takes; a stalled socket does not.
    timeout: {
      lookup: options.timeoutMs,
      connect: options.timeoutMs,
      secureConnect: options.timeoutMs,
      socket: options.timeoutMs,
      response: options.timeoutMs,
    },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    http2: false,
    headers: { 'user-agent': 'alegion-uploader' },
  });

  return async function putSignedUrl(
    url: string,
    body: Readable,
    put: PutOptions,
  ): Promise<{ etag: string }> {
    const host = hostOf(url);
    // A failure to read the file is the file's problem, not the network's: it is rethrown as it came (fs error).
    let bodyError: unknown;
    body.once('error', (error) => {
      bodyError = error;
    });
    let response;
    try {
      const request = storage.put(url, {
        body,
        headers: { 'content-length': String(put.size), 'content-type': 'application/octet-stream' },
        signal: put.signal,
      });
      if (put.onProgress) {
        const report = put.onProgress;
        request.on('uploadProgress', (progress) => report(progress.transferred));
      }
      response = await request;
    } catch (error) {
      // Whatever happened, the body stream must not be left open (it may hold a file descriptor).
      if (!body.destroyed) body.destroy();
      if (bodyError !== undefined) throw bodyError;
      throw errorForTransport(error, host, options.timeoutMs);
    }
    const status = response.statusCode;
    if (status === 403) throw new SignedUrlExpiredError();
    if (status >= 500) throw new ServerError(status, 1, `the storage at ${host}`);
    if (status < 200 || status >= 300) {
      throw new RequestRejectedError('the upload', status, serverMessage(response.body));
    }
    const raw = response.headers.etag;
    if (!raw) throw new BadResponseError('the upload', 'the storage sent no ETag', status);
    return { etag: raw.replace(/^W\//, '').replace(/^"|"$/g, '') };
  };
}

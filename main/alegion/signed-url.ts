/**
 * PUT of a file to a signed storage URL, sent as the tutorial's `curl --upload-file` sends it: the URL's path and
 * query byte for byte as the API wrote them (request-target.ts), and no header beyond Host, Content-Length and
 * User-Agent. A Content-Type the signer did not sign breaks SigV2 and CloudFront-over-S3 links, and a re-encoded
 * query character breaks any signature. The URL carries its own authorization, so no API key or bearer token is
 * sent (the storage must never see them), and the URL's query is never put in an error message. The body is
 * streamed from the caller's Readable with backpressure, never buffered, and never past the size declared: a file
 * that grows or shrinks while it is sent fails with BodyLengthChangedError instead of a confused storage answer. A
 * transfer is not retried here because the stream cannot be replayed: the upload engine reopens the file and, on
 * SignedUrlExpiredError, opens a new session. A small file already in memory is sent as one Buffer, in the same
 * write as the request head. It is plain node:http(s) rather than the API's HTTP client: a large
 * file is one long stream, and every layer between the file and the socket costs CPU on each chunk (about 40% less
 * per GiB this way).
 */
import type { Agent as HttpAgent, ClientRequest, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { http, https } from './node-http.ts';
import type { Readable } from 'node:stream';
import {
  BadResponseError,
  RequestRejectedError,
  ServerError,
  SignedUrlExpiredError,
  StorageRefusedError,
} from './errors.ts';
import { errorForTransport, hostOf, serverMessage } from './failures.ts';
import { requestTargetOf } from './request-target.ts';
import { readStorageRefusal, refusalWords } from './storage-refusal.ts';
import type { PutOptions } from './types.ts';

interface SignedUrlOptions {
  /** Keep-alive agents, shared with the API client so a batch of small files reuses its connections. */
  agent: { http?: HttpAgent; https?: HttpsAgent };
  /** Idle and connect timeout in ms: the transfer may take long, but never sit silent longer than this. */
  timeoutMs: number;
}

/**
 * The body held more or fewer bytes than the Content-Length declared for it: the file changed while it was read.
 * Nothing beyond the declared length is ever sent, and the request is abandoned, so the storage keeps nothing.
 */
export class BodyLengthChangedError extends Error {
  readonly declared: number;
  /** Bytes the body held when it ended early, or undefined when it went on past the declared length. */
  readonly actual: number | undefined;
  constructor(declared: number, actual: number | undefined) {
    super(
      actual === undefined
        ? `the file grew past the ${declared} bytes it had when the upload began`
        : `the file ended after ${actual} of the ${declared} bytes it had when the upload began`,
    );
    this.name = 'BodyLengthChangedError';
    this.declared = declared;
    this.actual = actual;
  }
}

/** The storage's error bodies are short; anything beyond this is not read into memory. */
const MAX_ERROR_BODY_CHARS = 64 * 1024;

/** A timeout, shaped as the transport failures `errorForTransport` knows (its code, never a URL). */
function timeoutError(): Error {
  return Object.assign(new Error('the storage did not answer in time'), { code: 'ETIMEDOUT' });
}

/** The response body as text (at most MAX_ERROR_BODY_CHARS kept), once it has ended. */
function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (part: string) => {
      if (text.length < MAX_ERROR_BODY_CHARS) text += part;
    });
    response.once('end', () => resolve(text.slice(0, MAX_ERROR_BODY_CHARS)));
    response.once('error', reject);
    response.once('aborted', () =>
      reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })),
    );
  });
}

/** Resolves once the request can take more body, or rejects once it is closed. */
function drained(request: ClientRequest): Promise<void> {
  if (request.destroyed) return Promise.reject(new Error('the request closed'));
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      request.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      request.off('drain', onDrain);
      reject(new Error('the request closed'));
    };
    request.once('drain', onDrain);
    request.once('close', onClose);
  });
}

/**
 * Streams the body into the request with backpressure, counting what goes out and telling the caller when the
 * socket has sent each chunk. Any failure destroys both ends; a body error is rethrown as it came.
 */
async function sendBody(body: Readable | Buffer, request: ClientRequest, put: PutOptions): Promise<void> {
  if (Buffer.isBuffer(body)) return sendBuffer(body, request, put);
  const { onProgress, onChunkSent } = put;
  let sent = 0;
  try {
    // Stepped by hand rather than with for-await: leaving such a loop early destroys the body with an AbortError,
    // which would pass for a failure of the file; here the body is only ever destroyed without an error.
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      const chunk = next.value;
      if (request.destroyed) throw new Error('the request closed');
      if (sent + chunk.length > put.size) throw new BodyLengthChangedError(put.size, undefined);
      const callback = onChunkSent
        ? (error?: Error | null): void => {
            if (!error) onChunkSent(chunk);
          }
        : undefined;
      const more = request.write(chunk, callback);
      sent += chunk.length;
      onProgress?.(sent);
      if (!more) await drained(request);
    }
    // Ending short would leave the storage waiting for the rest until one side times out.
    if (sent !== put.size) throw new BodyLengthChangedError(put.size, sent);
    await endRequest(request);
  } catch (error) {
    if (!request.destroyed) request.destroy(error as Error);
    if (!body.destroyed) body.destroy();
    throw error;
  }
}

/** Sends a body held in memory: with the request head, in one write. */
async function sendBuffer(body: Buffer, request: ClientRequest, put: PutOptions): Promise<void> {
  try {
    if (body.length !== put.size)
      throw new BodyLengthChangedError(put.size, body.length > put.size ? undefined : body.length);
    await endRequest(request, body);
    put.onProgress?.(body.length);
  } catch (error) {
    if (!request.destroyed) request.destroy(error as Error);
    throw error;
  }
}

/** Ends the request (with its last bytes, if given); resolves once they are handed to the socket. */
function endRequest(request: ClientRequest, last?: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (request.destroyed) {
      reject(new Error('the request closed'));
      return;
    }
    request.once('close', () => reject(new Error('the request closed')));
    if (last) request.end(last, () => resolve());
    else request.end(() => resolve());
  });
}

/** Creates the `putSignedUrl` function of the client. */
export function createSignedUrlPut(options: SignedUrlOptions) {
  return async function putSignedUrl(
    url: string,
    body: Readable | Buffer,
    put: PutOptions,
  ): Promise<{ etag: string }> {
    const host = hostOf(url);
    const stream = Buffer.isBuffer(body) ? undefined : body;
    // A failure to read the file is the file's problem, not the network's: it is rethrown as it came (fs error).
    // A request failure is passed on to the body by the pipeline; that one is the network's, not the file's.
    let bodyError: unknown;
    let requestError: unknown;
    stream?.once('error', (error) => {
      if (error !== requestError) bodyError = error;
    });
    let uploadError: unknown;
    /** Whatever happened, the body stream must not be left open (it may hold a file descriptor). */
    const fail = (error: unknown): never => {
      if (stream && !stream.destroyed) stream.destroy();
      if (bodyError !== undefined) throw bodyError;
      // The request was abandoned because the file changed: that, not the abandoned connection, is the news.
      if (uploadError instanceof BodyLengthChangedError) throw uploadError;
      throw errorForTransport(error, host, options.timeoutMs);
    };

    let target: ReturnType<typeof requestTargetOf>;
    try {
      target = requestTargetOf(url);
    } catch (error) {
      if (stream && !stream.destroyed) stream.destroy();
      throw new BadResponseError('the upload session', (error as Error).message);
    }
    const { secure } = target;
    const request = (secure ? https : http).request({
      protocol: secure ? 'https:' : 'http:',
      hostname: target.hostname,
      ...(target.port === undefined ? {} : { port: target.port }),
      path: target.path,
      method: 'PUT',
      agent: secure ? options.agent.https : options.agent.http,
      // What curl sends besides Host (and Accept, which a PUT has no use for); never a Content-Type.
      headers: {
        'content-length': String(put.size),
        'user-agent': 'alegion-uploader',
      },
      // Before the socket connects: lookup and connect; after: the socket's idle time (a stalled transfer).
      timeout: options.timeoutMs,
      signal: put.signal,
    });
    request.on('timeout', () => request.destroy(timeoutError()));
    const responded = new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', (error) => {
        requestError = error;
        reject(error);
      });
    });

    let uploadDone = false;
    const uploaded = sendBody(body, request, put).then(
      () => {
        uploadDone = true;
      },
      (error: unknown) => {
        uploadError = error;
      },
    );

    let response: IncomingMessage;
    let text: string;
    try {
      response = await responded;
      text = await readText(response);
    } catch (error) {
      await uploaded;
      return fail(error);
    }
    const status = response.statusCode ?? 0;
    if (uploadError instanceof BodyLengthChangedError) return fail(uploadError);
    if (status >= 200 && status < 300) {
      await uploaded;
      if (uploadError !== undefined) return fail(uploadError);
    } else if (!uploadDone) {
      // The storage answered before it had the whole body (an expired link is refused at once): stop sending.
      if (stream && !stream.destroyed) stream.destroy();
      request.destroy();
    }
    if (status === 403) {
      const refusal = readStorageRefusal(text, url);
      const words = { code: refusal.code, message: refusal.message };
      if (refusal.expired) throw new SignedUrlExpiredError(words);
      throw new StorageRefusedError('the upload', refusalWords(refusal), words);
    }
    if (status >= 500) throw new ServerError(status, 1, `the storage at ${host}`);
    if (status < 200 || status >= 300) {
      throw new RequestRejectedError('the upload', status, serverMessage(text));
    }
    const raw = response.headers.etag;
    if (!raw) throw new BadResponseError('the upload', 'the storage sent no ETag', status);
    return { etag: raw.replace(/^W\//, '').replace(/^"|"$/g, '') };
  };
}

/**
 * One API request and its answer on plain node:http(s) over the client's keep-alive agents: the body written with
 * the request head, the answer read as text (gzip, deflate and br decoded), no redirect followed, no retry (the
 * loop in `http.ts` decides). A general HTTP client normalises its options, runs hooks and times every phase on
 * each call; for thousands of small JSON calls that costs more CPU than the calls themselves, so this does only
 * what the API needs.
 *
 * Failures are shaped as `failures.ts` reads them: a `code`, for a timeout `name: 'TimeoutError'` and the phase
 * (`event`: lookup, connect, secureConnect before a byte is sent; socket or request after), and `timings.upload`
 * set once the whole request was written, so a creating POST knows whether the server may have acted on it.
 */
import type { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { http, https } from './node-http.ts';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

interface Exchange {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  /** The request body, sent as it is (with its Content-Length). */
  body?: Buffer;
}

interface ExchangeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface ExchangeOptions {
  agent: { http: HttpAgent; https: HttpsAgent };
  /** Connection phases and the socket's silence; the whole exchange may take twice this. */
  timeoutMs: number;
}

/** A failure as `transportFailureOf` reads it (never a URL or a header in it). */
class ExchangeError extends Error {
  readonly code: string;
  readonly event: string | undefined;
  timings: { upload?: number } = {};

  constructor(message: string, code: string, event?: string, name = 'RequestError') {
    super(message);
    this.name = name;
    this.code = code;
    this.event = event;
  }
}

function timeout(event: string, ms: number): ExchangeError {
  return new ExchangeError(`no answer within ${ms} ms (${event})`, 'ETIMEDOUT', event, 'TimeoutError');
}

/** Sends one request and reads its whole answer. */
export function exchange(request: Exchange, options: ExchangeOptions): Promise<ExchangeAnswer> {
  const { timeoutMs } = options;
  const target = new URL(request.url);
  const secure = target.protocol === 'https:';
  const headers: Record<string, string | number> = {
    ...request.headers,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (request.body) headers['content-length'] = request.body.length;
  return new Promise<ExchangeAnswer>((resolve, reject) => {
    let uploadedAt: number | undefined;
    let phaseTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const client = (secure ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: request.method,
      headers,
      agent: secure ? options.agent.https : options.agent.http,
    });
    const whole = setTimeout(() => client.destroy(timeout('request', timeoutMs * 2)), timeoutMs * 2);
    const finish = (error: unknown, answer?: ExchangeAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(whole);
      clearTimeout(phaseTimer);
      if (answer) {
        resolve(answer);
        return;
      }
      const failure =
        error instanceof ExchangeError
          ? error
          : new ExchangeError(
              'the connection failed',
              typeof (error as { code?: unknown })?.code === 'string'
                ? (error as { code: string }).code
                : 'ECONNRESET',
            );
      failure.timings = uploadedAt === undefined ? {} : { upload: uploadedAt };
      reject(failure);
    };
    client.on('socket', (socket: Socket) => {
      // Connection phases are timed only on a new socket; a reused one goes straight to the idle timer.
      if (!socket.connecting) return;
      let phase = 'lookup';
      const arm = (): void => {
        clearTimeout(phaseTimer);
        phaseTimer = setTimeout(() => client.destroy(timeout(phase, timeoutMs)), timeoutMs);
      };
      arm();
      socket.once('lookup', () => {
        phase = 'connect';
        arm();
      });
      socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(phaseTimer));
      if (secure) {
        socket.once('connect', () => {
          phase = 'secureConnect';
          arm();
        });
      }
    });
    client.setTimeout(timeoutMs, () => client.destroy(timeout('socket', timeoutMs)));
    client.on('error', (error) => finish(error));
    client.on('response', (response) => {
      readAnswer(response).then(
        (body) => finish(undefined, { status: response.statusCode ?? 0, headers: response.headers, body }),
        (error: unknown) => finish(error),
      );
    });
    client.end(request.body, () => {
      uploadedAt = performance.now();
    });
  });
}

/** The answer's body as text, decoded from its Content-Encoding. */
function readAnswer(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
    let source: Readable = response;
    if (encoding === 'gzip' || encoding === 'x-gzip') source = response.pipe(zlib.createGunzip());
    else if (encoding === 'deflate') source = response.pipe(zlib.createInflate());
    else if (encoding === 'br') source = response.pipe(zlib.createBrotliDecompress());
    const chunks: Buffer[] = [];
    source.on('data', (chunk: Buffer) => chunks.push(chunk));
    source.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    source.once('error', (error) => reject(error));
    response.once('aborted', () => reject(new ExchangeError('the answer was cut off', 'ECONNRESET')));
    if (source !== response) response.once('error', (error) => reject(error));
  });
}

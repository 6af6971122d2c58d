/**
 * The API transport: one exchange at a time on the client's keep-alive agents (`exchange.ts`: explicit timeouts,
 * x-api-key on every request) and the loop around it that authenticates, retries and maps failures. Every endpoint
 * method in `client.ts` goes through `send()`.
 *
 * Retry rules:
 * - `idempotent` requests (GET, PUT, DELETE, login, opening an upload session) are repeated on network errors,
 *   timeouts, `429` and `5xx`, with exponential backoff and jitter, `Retry-After` honoured, up to `retries` times.
 * - `create` requests (POSTs that create something) are repeated only when the server provably did not act on
 *   them: a `429` (refused by the rate limiter), a `401` (refused before processing; one re-login), or a failure
 *   before the request was completely written (connection refused, DNS failure, connect timeout). A `5xx`, a reset
 *   or a timeout after the request went out throws `OutcomeUnknownError`, so that the caller reconciles.
 */
import type http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { exchange } from './exchange.ts';
import { OutcomeUnknownError, RateLimitedError, ServerError, UnauthorizedError } from './errors.ts';
import { errorForStatus, errorForTransport, hostOf, transportFailureOf } from './failures.ts';
import type { FailureContext } from './failures.ts';
import { backoffDelay, mayHaveReachedServer, parseRetryAfter, rateLimitDelay } from './retry.ts';
import type { TokenManager } from './auth.ts';
import type { ClientEvent } from './types.ts';

/** How a request may be repeated (see the file comment). */
export type RequestKind = 'idempotent' | 'create';

export interface ApiRequest extends FailureContext {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute URL. */
  url: string;
  json?: unknown;
  kind: RequestKind;
  /** Send the bearer token (everything but `/login`). */
  authenticated: boolean;
  /** Statuses the caller handles itself (e.g. 401 at login, 3xx of a download redirect). */
  passStatuses?: readonly number[];
}

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface TransportOptions {
  apiKey: string;
  retries: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Longest `Retry-After` the client waits out; a longer one is reported as RateLimitedError at once. */
  maxRetryAfterMs: number;
  timeoutMs: number;
  agent: { http: http.Agent; https: https.Agent };
  tokens: () => TokenManager;
  onEvent?: (event: ClientEvent) => void;
  now: () => number;
}

interface Transport {
  send(request: ApiRequest): Promise<ApiResponse>;
}

/** Creates the transport described in the file comment. */
export function createTransport(options: TransportOptions): Transport {
  // Built once: every request carries them; only the bearer token and the body's type vary.
  const baseHeaders = {
    'x-api-key': options.apiKey,
    accept: 'application/json',
    'user-agent': 'alegion-uploader',
  };
  const exchangeOptions = { agent: options.agent, timeoutMs: options.timeoutMs };

  const once = (request: ApiRequest, token: string | undefined): Promise<ApiResponse> => {
    const headers: Record<string, string> =
      token === undefined ? { ...baseHeaders } : { ...baseHeaders, authorization: `Bearer ${token}` };
    let body: Buffer | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = Buffer.from(JSON.stringify(request.json));
    }
    return exchange({ method: request.method, url: request.url, headers, body }, exchangeOptions);
  };

  const retryEvent = (request: ApiRequest, attempt: number, delayMs: number, reason: string): void => {
    options.onEvent?.({
      type: 'retry',
      method: request.method,
      path: new URL(request.url).pathname,
      attempt,
      delayMs,
      reason,
    });
  };

  const backoff = { baseMs: options.baseBackoffMs, maxMs: options.maxBackoffMs };
  const host = (url: string) => hostOf(url);

  const send = async (request: ApiRequest): Promise<ApiResponse> => {
    let retriesUsed = 0;
    let reauthenticated = false;
    for (;;) {
      const token = request.authenticated ? await options.tokens().get() : undefined;
      let response: ApiResponse;
      try {
        response = await once(request, token);
      } catch (error) {
        const failure = transportFailureOf(error);
        const typed = errorForTransport(error, host(request.url), options.timeoutMs);
        if (typed.code === 'canceled') throw typed;
        if (request.kind === 'create' && mayHaveReachedServer(failure)) {
          throw new OutcomeUnknownError(request.operation, { code: typed.code });
        }
        if (retriesUsed >= options.retries) throw typed;
        const delayMs = backoffDelay(retriesUsed, backoff);
        retriesUsed += 1;
        retryEvent(request, retriesUsed, delayMs, failure.code ?? typed.code);
        await sleep(delayMs);
        continue;
      }

      const { status } = response;
      if (request.passStatuses?.includes(status)) return response;
      if (status >= 200 && status < 300) return response;

      if (status === 401 && request.authenticated && token !== undefined) {
        // A refused token: drop it (unless someone already replaced it) and repeat once with a fresh one.
        if (reauthenticated) throw new UnauthorizedError();
        reauthenticated = true;
        options.tokens().invalidate(token);
        continue;
      }

      if (status === 429) {
        const retryAfterMs = parseRetryAfter(headerOf(response, 'retry-after'), options.now());
        if (retriesUsed >= options.retries || (retryAfterMs ?? 0) > options.maxRetryAfterMs) {
          throw new RateLimitedError(retryAfterMs === undefined ? undefined : retryAfterMs / 1000);
        }
        const delayMs = rateLimitDelay(retryAfterMs, retriesUsed, backoff);
        retriesUsed += 1;
        retryEvent(request, retriesUsed, delayMs, 'HTTP 429');
        await sleep(delayMs);
        continue;
      }

      if (status >= 500) {
        if (request.kind === 'create') {
          throw new OutcomeUnknownError(
            request.operation,
            { status },
            `the server failed with HTTP ${status}`,
          );
        }
        if (retriesUsed >= options.retries) throw new ServerError(status, retriesUsed + 1);
        const delayMs = backoffDelay(retriesUsed, backoff);
        retriesUsed += 1;
        retryEvent(request, retriesUsed, delayMs, `HTTP ${status}`);
        await sleep(delayMs);
        continue;
      }

      throw errorForStatus(status, response.body, request);
    }
  };

  return { send };
}

/** A response header as one string (the first value when repeated). */
export function headerOf(response: ApiResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

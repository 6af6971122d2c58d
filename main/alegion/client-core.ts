/**
 * The shared core of the Alegion API client: one transport (authentication, retries, error mapping in `http.ts`,
 * `auth.ts` and `failures.ts`), URLs under the base, answers checked against the wire schemas, listings that page
 * through `Link` headers, and the keep-alive agents. The endpoint methods, one file per resource, are built on it.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { http, https } from './node-http.ts';
import { z } from 'zod';
import { LoginResponse } from '../../common/alegion.ts';
import type { PageQuery } from '../../common/alegion.ts';
import { createTokenManager } from './auth.ts';
import type { TokenManager } from './auth.ts';
import { AlegionError, BadResponseError, LoginRejectedError } from './errors.ts';
import type { ResourceRef } from './failures.ts';
import { createTransport, headerOf } from './http.ts';
import type { ApiRequest, ApiResponse, RequestKind } from './http.ts';
import { paginated, parseLinkHeader, parseTotalCount, sameOriginLink } from './pagination.ts';
import type { Page } from './pagination.ts';
import type { AlegionClientOptions, Paginated } from './types.ts';

/** Items per page when iterating a listing (the API's default is 20; fewer round trips, same result). */
const ITERATION_PAGE_SIZE = 100;

/** How long an idle keep-alive socket is kept. */
const IDLE_SOCKET_MS = 30_000;

const DEFAULTS = {
  retries: 5,
  baseBackoffMs: 250,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 30_000,
  tokenRenewMarginSeconds: 60,
};

/** Options of createAlegionClient beyond the interface's (injection points for tests and shared agents). */
export interface CreateClientOptions extends AlegionClientOptions {
  /** First backoff wait in ms (doubles per retry; default 250). */
  baseBackoffMs?: number;
  /** Longest `Retry-After` waited out in ms; longer ones throw RateLimitedError at once (default 300 000). */
  maxRetryAfterMs?: number;
  /** Clock in ms since the epoch (default Date.now). */
  now?: () => number;
  /** Keep-alive agents to share with other clients (default: the client's own). */
  agent?: { http: HttpAgent; https: HttpsAgent };
}

/** Query parameters of a request (arrays are sent comma-separated). */
export type Query = Record<string, string | number | readonly string[] | undefined>;

/** A request to the API, by path under the base URL. */
interface Call extends Omit<ApiRequest, 'url' | 'authenticated' | 'kind'> {
  path: string;
  query?: Query;
  kind?: RequestKind;
}

/** What every resource's methods are built on. */
export interface ClientCore {
  baseUrl: string;
  timeoutMs: number;
  agent: { http: HttpAgent; https: HttpsAgent };
  ownsAgents: boolean;
  tokens: TokenManager;
  url: (path: string, query?: Query) => string;
  call: (request: Call) => Promise<ApiResponse>;
  parse: <T>(schema: z.ZodType<T>, response: ApiResponse, operation: string) => T;
  validated: <T>(schema: z.ZodType<T>, value: unknown, operation: string) => T;
  listing: <T>(
    schema: z.ZodType<T>,
    path: string,
    query: Query & PageQuery,
    operation: string,
    notFound: ResourceRef | undefined,
    ids?: string[],
  ) => Paginated<T>;
}

/** A path segment, encoded. */
export const seg = encodeURIComponent;
export const workflowRef = (id: string): ResourceRef => ({ resource: 'workflow', id });
export const batchRef = (id: string): ResourceRef => ({ resource: 'batch', id });
export const assetRef = (id: string): ResourceRef => ({ resource: 'asset', id });
export const exportRef = (id: string): ResourceRef => ({ resource: 'export', id });

/** Builds the core from the client's options. */
export function createClientCore(options: CreateClientOptions): ClientCore {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const origin = new URL(baseUrl).origin;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const now = options.now ?? Date.now;
  const ownsAgents = options.agent === undefined;
  // Keep-alive saves a handshake per call. Idle sockets are dropped after 30 s, before the usual 60 s of load
  // balancers, so that a creating POST rarely meets a connection the server has just closed (which would make its
  // outcome unknown).
  const agent = options.agent ?? {
    http: new http.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_SOCKET_MS }),
    https: new https.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_SOCKET_MS }),
  };

  const transport = createTransport({
    apiKey: options.apiKey,
    retries: options.retries ?? DEFAULTS.retries,
    baseBackoffMs: options.baseBackoffMs ?? DEFAULTS.baseBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
    timeoutMs,
    agent,
    tokens: () => tokens,
    onEvent: options.onEvent,
    now,
  });

  const url = (path: string, query: Query = {}): string => {
    const target = new URL(`${baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (typeof value === 'string' || typeof value === 'number')
        target.searchParams.set(name, String(value));
      else if (value.length > 0) target.searchParams.set(name, value.join(','));
    }
    return target.href;
  };

  const parse = <T>(schema: z.ZodType<T>, response: ApiResponse, operation: string): T => {
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      throw new BadResponseError(operation, 'the body is not JSON', response.status);
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
      throw new BadResponseError(operation, `${where}: ${issue?.message ?? 'wrong shape'}`, response.status);
    }
    return result.data;
  };

  const call = (request: Call): Promise<ApiResponse> =>
    transport.send({
      ...request,
      url: url(request.path, request.query),
      kind: request.kind ?? 'idempotent',
      authenticated: true,
    });

  const tokens: TokenManager = createTokenManager({
    now,
    renewMarginSeconds: options.tokenRenewMarginSeconds ?? DEFAULTS.tokenRenewMarginSeconds,
    login: async () => {
      options.onEvent?.({ type: 'login' });
      const response = await transport.send({
        method: 'POST',
        url: url('/login'),
        json: { username: options.username, password: options.password },
        kind: 'idempotent',
        authenticated: false,
        operation: 'login',
        passStatuses: [401],
      });
      if (response.status === 401) throw new LoginRejectedError();
      const body = parse(LoginResponse, response, 'login');
      return { token: body.access_token, expiresInSeconds: body.expires_in };
    },
  });

  /** A listing of `path` with `query`, items checked against `schema`. */
  const listing = <T>(
    schema: z.ZodType<T>,
    path: string,
    query: Query & PageQuery,
    operation: string,
    notFound: ResourceRef | undefined,
    ids: string[] = [],
  ): Paginated<T> => {
    const pageSchema = z.array(schema);
    const fetchPage = async (pageUrl: string): Promise<Page<T>> => {
      const response = await transport.send({
        method: 'GET',
        url: pageUrl,
        kind: 'idempotent',
        authenticated: true,
        operation,
        notFound,
        ids,
      });
      const link = parseLinkHeader(headerOf(response, 'link')).get('next');
      const next = sameOriginLink(link, pageUrl, origin);
      if (link !== undefined && next === undefined) {
        throw new BadResponseError(operation, `a page link points outside ${new URL(baseUrl).host}`);
      }
      return { items: parse(pageSchema, response, operation), next };
    };
    const count = async (): Promise<number> => {
      const { page: _page, pageSize: _pageSize, sort: _sort, ...filters } = query;
      const response = await call({
        method: 'GET',
        path,
        query: { ...filters, page: 1, pageSize: 1 },
        operation,
        notFound,
        ids,
      });
      const total = parseTotalCount(headerOf(response, 'x-total-count'));
      if (total === undefined)
        throw new BadResponseError(operation, 'no X-Total-Count header', response.status);
      return total;
    };
    return paginated(
      url(path, { ...query, pageSize: query.pageSize ?? ITERATION_PAGE_SIZE }),
      fetchPage,
      count,
    );
  };

  const validated = <T>(schema: z.ZodType<T>, value: unknown, operation: string): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new AlegionError('invalid-request', `${operation}: ${where}${issue?.message ?? 'invalid request'}`);
  };

  return { baseUrl, timeoutMs, agent, ownsAgents, tokens, url, call, parse, validated, listing };
}

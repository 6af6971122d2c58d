/**
 * `createAlegionClient`: the AlegionClient of `types.ts` on got. Endpoint methods are thin: they build the URL,
 * say how the request may be retried, and check the answer against the wire schemas of `common/alegion.ts`.
 * Authentication, retries and error mapping live in `http.ts`, `auth.ts` and `failures.ts`.
 */
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import {
  Asset,
  Batch,
  BatchSummary,
  CreateAssetRecordsResponse,
  CreateAssetRequest,
  CreateBatchRequest,
  CreateExportRequest,
  ImportRecord,
  InputRecord,
  LoginResponse,
  RECORDS_PER_REQUEST,
  RecordResult,
  RecordResultExport,
  UpdateBatchRequest,
  UploadSession,
  Workflow,
} from '../../common/alegion.ts';
import type { PageQuery, ResultQuery } from '../../common/alegion.ts';
import { createTokenManager } from './auth.ts';
import type { TokenManager } from './auth.ts';
import { chunk } from './chunks.ts';
import { AlegionError, BadResponseError, LoginRejectedError } from './errors.ts';
import type { ResourceRef } from './failures.ts';
import { createTransport, headerOf } from './http.ts';
import type { ApiRequest, ApiResponse, RequestKind } from './http.ts';
import { paginated, parseLinkHeader, parseTotalCount, sameOriginLink } from './pagination.ts';
import type { Page } from './pagination.ts';
import { createSignedUrlPut } from './signed-url.ts';
import type { AlegionClient, AlegionClientOptions, Paginated } from './types.ts';

/** Items per page when iterating a listing (the API's default is 20; fewer round trips, same result). */
export const ITERATION_PAGE_SIZE = 100;

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
  agent?: { http: http.Agent; https: https.Agent };
}

/** The client plus `close()`, which frees its keep-alive sockets (when it owns its agents). */
export type ClosableAlegionClient = AlegionClient & {
  /** Number of logins performed so far. */
  readonly logins: number;
  close(): void;
};

type Query = Record<string, string | number | readonly string[] | undefined>;

/** Creates the Alegion API client described in `types.ts`. */
export function createAlegionClient(options: CreateClientOptions): ClosableAlegionClient {
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

  interface Call extends Omit<ApiRequest, 'url' | 'authenticated' | 'kind'> {
    path: string;
    query?: Query;
    kind?: RequestKind;
  }
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

  const seg = encodeURIComponent;
  const workflowRef = (id: string): ResourceRef => ({ resource: 'workflow', id });
  const batchRef = (id: string): ResourceRef => ({ resource: 'batch', id });
  const assetRef = (id: string): ResourceRef => ({ resource: 'asset', id });
  const exportRef = (id: string): ResourceRef => ({ resource: 'export', id });

  const resultFilters = (query: ResultQuery & PageQuery = {}): Query & PageQuery => ({
    page: query.page,
    pageSize: query.pageSize,
    sort: query.sort,
    batchIds: query.batchIds,
    minCreatedAt: query.minCreatedAt,
    maxCreatedAt: query.maxCreatedAt,
  });

  const client: ClosableAlegionClient = {
    baseUrl,
    get logins() {
      return tokens.logins;
    },
    close() {
      if (!ownsAgents) return;
      agent.http.destroy();
      agent.https.destroy();
    },

    async verify() {
      await tokens.get();
    },

    listWorkflows(query = {}) {
      return listing(Workflow, '/workflows', { ...query }, 'listWorkflows', undefined);
    },

    async createAsset(request) {
      const body = validated(CreateAssetRequest, request, 'createAsset');
      const response = await call({
        method: 'POST',
        path: '/assets',
        json: body,
        kind: 'create',
        operation: 'createAsset',
      });
      return parse(Asset, response, 'createAsset');
    },
    async getAsset(assetId) {
      const response = await call({
        method: 'GET',
        path: `/assets/${seg(assetId)}`,
        operation: 'getAsset',
        notFound: assetRef(assetId),
        ids: [assetId],
      });
      return parse(Asset, response, 'getAsset');
    },
    listAssets(query = {}) {
      const { name, type, statuses, ...paging } = query;
      return listing(Asset, '/assets', { ...paging, name, type, statuses }, 'listAssets', undefined);
    },
    async deleteAsset(assetId) {
      await call({
        method: 'DELETE',
        path: `/assets/${seg(assetId)}`,
        operation: 'deleteAsset',
        notFound: assetRef(assetId),
        ids: [assetId],
      });
    },
    async openUploadSession(assetId) {
      // Safe to repeat: each call only opens (another) upload session for the same asset.
      const response = await call({
        method: 'POST',
        path: `/assets/${seg(assetId)}/upload`,
        operation: 'openUploadSession',
        notFound: assetRef(assetId),
        ids: [assetId],
      });
      return parse(UploadSession, response, 'openUploadSession');
    },
    putSignedUrl: createSignedUrlPut({ agent, timeoutMs }),
    async closeUploadSession(assetId) {
      await call({
        method: 'DELETE',
        path: `/assets/${seg(assetId)}/upload`,
        operation: 'closeUploadSession',
        notFound: assetRef(assetId),
        ids: [assetId],
      });
    },

    async createBatch(workflowId, request) {
      const body = validated(CreateBatchRequest, request, 'createBatch');
      const response = await call({
        method: 'POST',
        path: `/workflows/${seg(workflowId)}/batches`,
        json: body,
        kind: 'create',
        operation: 'createBatch',
        notFound: workflowRef(workflowId),
        ids: [workflowId],
      });
      return parse(Batch, response, 'createBatch');
    },
    listBatches(workflowId, query = {}) {
      return listing(
        BatchSummary,
        `/workflows/${seg(workflowId)}/batches`,
        { ...query },
        'listBatches',
        workflowRef(workflowId),
        [workflowId],
      );
    },
    async getBatch(batchId) {
      const response = await call({
        method: 'GET',
        path: `/batches/${seg(batchId)}`,
        operation: 'getBatch',
        notFound: batchRef(batchId),
        ids: [batchId],
      });
      return parse(Batch, response, 'getBatch');
    },
    async updateBatch(batchId, request) {
      const body = validated(UpdateBatchRequest, request, 'updateBatch');
      const response = await call({
        method: 'PUT',
        path: `/batches/${seg(batchId)}`,
        json: body,
        operation: 'updateBatch',
        notFound: batchRef(batchId),
        ids: [batchId],
      });
      return parse(Batch, response, 'updateBatch');
    },

    async createAssetRecords(batchId, assetIds, chunkOptions) {
      const merged: CreateAssetRecordsResponse = { created: [], assetValidationErrors: [] };
      const chunks = chunk(assetIds, RECORDS_PER_REQUEST);
      for (const [index, ids] of chunks.entries()) {
        const response = await call({
          method: 'POST',
          path: `/batches/${seg(batchId)}/records/assets`,
          json: { assetIds: ids },
          kind: 'create',
          operation:
            chunks.length > 1
              ? `createAssetRecords (chunk ${index + 1} of ${chunks.length})`
              : 'createAssetRecords',
          notFound: batchRef(batchId),
          ids: [batchId, ...ids],
        });
        const result = parse(CreateAssetRecordsResponse, response, 'createAssetRecords');
        merged.created.push(...result.created);
        merged.assetValidationErrors.push(...result.assetValidationErrors);
        chunkOptions?.onChunk?.(result, index, chunks.length);
      }
      return merged;
    },
    async importRecords(batchId, records, chunkOptions) {
      const body = validated(z.array(ImportRecord), records, 'importRecords');
      const created: InputRecord[] = [];
      const chunks = chunk(body, RECORDS_PER_REQUEST);
      for (const [index, part] of chunks.entries()) {
        const response = await call({
          method: 'POST',
          path: `/batches/${seg(batchId)}/records/import`,
          json: part,
          kind: 'create',
          operation:
            chunks.length > 1 ? `importRecords (chunk ${index + 1} of ${chunks.length})` : 'importRecords',
          notFound: batchRef(batchId),
          ids: [batchId],
        });
        const result = parse(z.array(InputRecord), response, 'importRecords');
        created.push(...result);
        chunkOptions?.onChunk?.(result, index, chunks.length);
      }
      return created;
    },
    listRecords(batchId, query = {}) {
      const { status, ...paging } = query;
      return listing(
        InputRecord,
        `/batches/${seg(batchId)}/records`,
        { ...paging, status },
        'listRecords',
        batchRef(batchId),
        [batchId],
      );
    },

    listWorkflowResults(workflowId, query = {}) {
      return listing(
        RecordResult,
        `/exports/workflows/${seg(workflowId)}/results`,
        resultFilters(query),
        'listWorkflowResults',
        workflowRef(workflowId),
        [workflowId, ...(query.batchIds ?? [])],
      );
    },
    listBatchResults(batchId, query = {}) {
      return listing(
        RecordResult,
        `/batches/${seg(batchId)}/results`,
        resultFilters(query),
        'listBatchResults',
        batchRef(batchId),
        [batchId],
      );
    },

    async createExport(request) {
      const body = validated(CreateExportRequest, request, 'createExport');
      const response = await call({
        method: 'POST',
        path: '/exports/record-result-exports',
        json: body,
        kind: 'create',
        operation: 'createExport',
        notFound: workflowRef(body.workflowId),
        ids: [body.workflowId, ...(body.batchIds ?? [])],
      });
      return parse(RecordResultExport, response, 'createExport');
    },
    async getExport(exportId) {
      const response = await call({
        method: 'GET',
        path: `/exports/record-result-exports/${seg(exportId)}`,
        operation: 'getExport',
        notFound: exportRef(exportId),
        ids: [exportId],
      });
      return parse(RecordResultExport, response, 'getExport');
    },
    async getExportDownloadUrl(exportId) {
      const path = `/exports/record-result-exports/${seg(exportId)}/download`;
      const response = await call({
        method: 'GET',
        path,
        operation: 'getExportDownloadUrl',
        notFound: exportRef(exportId),
        ids: [exportId],
        passStatuses: [301, 302, 303, 307, 308],
      });
      const location = headerOf(response, 'location');
      if (!location) {
        throw new BadResponseError(
          'getExportDownloadUrl',
          'no Location header (is the export ready?)',
          response.status,
        );
      }
      return new URL(location, url(path)).href;
    },
  };
  return client;
}

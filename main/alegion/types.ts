/**
 * The Alegion client's interface: one method per endpoint of the tutorial and the endpoint reference. Everything
 * above the client (uploads, exports, doneness, the CLI) depends on this interface only; `createAlegionClient` in
 * `client.ts` implements it on got.
 *
 * Behaviour every method shares:
 * - x-api-key on every request; login is lazy, shared by concurrent callers, renewed shortly before expiry and
 *   once more on a `401`.
 * - GET, PUT and DELETE (and the login and opening an upload session, which are safe to repeat) are retried with
 *   exponential backoff and jitter on network errors, timeouts, `429` (honouring `Retry-After`) and `5xx`, up to
 *   `retries`. A POST that creates something (createAsset, createBatch, createAssetRecords, importRecords,
 *   createExport) is repeated only when the server provably did not act on it: `429`, `401` (once, after a new
 *   login), or a failure before the request was completely written (connection refused, DNS, connect timeout).
 *   A `5xx`, a reset or a timeout after it went out throws `OutcomeUnknownError`: the caller reconciles.
 * - Failures throw the typed errors of `errors.ts`.
 */
import type { Readable } from 'node:stream';
import type {
  Asset,
  AssetQuery,
  Batch,
  BatchSummary,
  CreateAssetRequest,
  CreateAssetRecordsResponse,
  CreateBatchRequest,
  CreateExportRequest,
  ImportRecord,
  InputRecord,
  PageQuery,
  RecordResult,
  RecordResultExport,
  ResultQuery,
  UpdateBatchRequest,
  UploadSession,
  Workflow,
} from '../../common/alegion.ts';

/** Credentials of one profile. Never logged, never sent to the renderer. */
export interface AlegionCredentials {
  apiKey: string;
  username: string;
  password: string;
}

export interface AlegionClientOptions extends AlegionCredentials {
  /** API root including `/v1`, e.g. `https://api.alegion.com/v1` or the sandbox's `http://127.0.0.1:4010/v1`. */
  baseUrl: string;
  /** Retries of retryable requests (default 5). */
  retries?: number;
  /** Upper bound of one backoff wait in ms (default 30 000). */
  maxBackoffMs?: number;
  /** Per-request timeouts in ms: connect/response for API calls (default 30 000). */
  timeoutMs?: number;
  /** Renew the token this many seconds before `expires_in` runs out (default 60, capped at a tenth of the TTL). */
  tokenRenewMarginSeconds?: number;
  /** Called when a request is retried or the client logs in (for diagnostics; messages carry no secrets). */
  onEvent?: (event: ClientEvent) => void;
}

export type ClientEvent =
  | { type: 'login' }
  | { type: 'retry'; method: string; path: string; attempt: number; delayMs: number; reason: string };

/** A paginated listing: iterate it to follow `Link rel="next"`; `count()` reads `X-Total-Count` cheaply. */
export interface Paginated<T> extends AsyncIterable<T> {
  /** Total number of items, from `X-Total-Count` of a `page=1&pageSize=1` request. */
  count(): Promise<number>;
}

/** Options of a PUT to a signed storage URL. */
export interface PutOptions {
  /** Bytes the body will carry (sent as Content-Length). */
  size: number;
  /** Aborts the transfer (cancel, pause). */
  signal?: AbortSignal;
  /** Called with bytes sent so far, as they go out. */
  onProgress?: (bytesSent: number) => void;
  /** Called with each chunk of the body once the socket has sent it (its buffer may then be reused). */
  onChunkSent?: (chunk: Buffer) => void;
}

/** Progress of a bulk request split into chunks. */
interface ChunkOptions<R> {
  /** Called after each chunk the server accepted, with its own result (`index` from 0, of `total`). */
  onChunk?: (result: R, index: number, total: number) => void;
}

export interface AlegionClient {
  /** API root this client talks to, without credentials. */
  readonly baseUrl: string;

  /** Logs in now (or reuses a valid token); throws ApiKeyRejectedError / LoginRejectedError / NetworkError. */
  verify(): Promise<void>;

  // Workflows
  listWorkflows(query?: PageQuery): Paginated<Workflow>;

  // Assets
  createAsset(request: CreateAssetRequest): Promise<Asset>;
  getAsset(assetId: string): Promise<Asset>;
  listAssets(query?: AssetQuery & PageQuery): Paginated<Asset>;
  deleteAsset(assetId: string): Promise<void>;
  /** `POST /assets/{id}/upload`: a signed URL valid for 60 minutes. Safe to repeat (each call opens a session). */
  openUploadSession(assetId: string): Promise<UploadSession>;
  /**
   * PUT the body (a stream, or a small file's bytes in memory) to a signed URL; returns the storage ETag without
   * quotes. `403` throws SignedUrlExpiredError.
   */
  putSignedUrl(url: string, body: Readable | Buffer, options: PutOptions): Promise<{ etag: string }>;
  /** `DELETE /assets/{id}/upload` (204). */
  closeUploadSession(assetId: string): Promise<void>;

  // Batches
  createBatch(workflowId: string, request: CreateBatchRequest): Promise<Batch>;
  listBatches(workflowId: string, query?: PageQuery): Paginated<BatchSummary>;
  getBatch(batchId: string): Promise<Batch>;
  updateBatch(batchId: string, request: UpdateBatchRequest): Promise<Batch>;

  // Input records
  /**
   * Posts in chunks of at most 1,000 ids, in order; validation errors come back per asset. When a chunk fails, the
   * error is thrown and the chunks before it stand (each was reported through `onChunk`).
   */
  createAssetRecords(
    batchId: string,
    assetIds: readonly string[],
    options?: ChunkOptions<CreateAssetRecordsResponse>,
  ): Promise<CreateAssetRecordsResponse>;
  /** Imports JSON records in chunks of at most 1,000, in order; returns the created records. Chunks as above. */
  importRecords(
    batchId: string,
    records: readonly ImportRecord[],
    options?: ChunkOptions<InputRecord[]>,
  ): Promise<InputRecord[]>;
  /** `GET /batches/{id}/records`, optionally filtered by status (sent comma-separated). */
  listRecords(batchId: string, query?: { status?: string[] } & PageQuery): Paginated<InputRecord>;

  // Results
  listWorkflowResults(workflowId: string, query?: ResultQuery & PageQuery): Paginated<RecordResult>;
  listBatchResults(
    batchId: string,
    query?: Omit<ResultQuery, 'batchIds'> & PageQuery,
  ): Paginated<RecordResult>;

  // Exports
  createExport(request: CreateExportRequest): Promise<RecordResultExport>;
  getExport(exportId: string): Promise<RecordResultExport>;
  /** The `Location` of `GET .../download`'s redirect: a signed URL that lives about 10 seconds. */
  getExportDownloadUrl(exportId: string): Promise<string>;
}

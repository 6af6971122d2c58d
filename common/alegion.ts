/**
 * The Alegion REST API on the wire, as the tutorial and the endpoint reference describe it: one zod schema per
 * request and response body, and the TypeScript types inferred from them. The sandbox serves these shapes and the
 * client checks them at runtime. Objects are "loose": fields the platform adds later pass through untouched.
 *
 * Anything marked GUESS is not published by the vendor; sandbox/README.md lists each one, and the client must not
 * depend on a guess for correctness.
 */
import { z } from 'zod';

/** The real platform's API root. */
export const ALEGION_API_URL = 'https://api.alegion.com/v1';

/** Most ids accepted per request by the record creation and import endpoints (more gets `422`). */
export const RECORDS_PER_REQUEST = 1000;

/** A canonical UUID, as the platform's path parameters require (anything else gets `422`). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID the platform would accept in a path. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

// ── Authentication ──────────────────────────────────────────────────────────────────────────────────────────

export const LoginRequest = z.object({ username: z.string(), password: z.string() });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.looseObject({
  access_token: z.string(),
  expires_in: z.number(),
  token_type: z.string(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

// ── Assets ──────────────────────────────────────────────────────────────────────────────────────────────────

/** What kind of thing a file is, in the product's terms. */
export const MediaKind = z.enum(['image', 'video', 'text']);
export type MediaKind = z.infer<typeof MediaKind>;

/**
 * The asset `type` value the platform takes for each media kind. `image` and `video` are published; the value
 * for NER corpus documents is a GUESS, kept here and nowhere else.
 */
export const ASSET_TYPE_FOR_KIND: Record<MediaKind, string> = {
  image: 'image',
  video: 'video',
  text: 'text',
};

export const AssetStatus = z.enum([
  'uploading',
  'upload-error',
  'pending-preprocessing',
  'preprocessing',
  'recovering-preprocessing',
  'uploaded',
]);
export type AssetStatus = z.infer<typeof AssetStatus>;

const AssetSource = z.enum(['file', 'csv']);
type AssetSource = z.infer<typeof AssetSource>;

export const CreateAssetRequest = z.object({
  name: z.string().min(1).optional(),
  fileName: z.string().min(1).optional(),
  fps: z.number().positive().optional(),
  frameCount: z.number().int().min(0).optional(),
  type: z.string().min(1),
  source: AssetSource.optional(),
  tenantReference: z.string().optional(),
  url: z.string().optional(),
});
export type CreateAssetRequest = z.infer<typeof CreateAssetRequest>;

export const Asset = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  tenantReference: z.string().nullish(),
  fileName: z.string().nullish(),
  fps: z.number().nullish(),
  frameCount: z.number().nullish(),
  status: z.string(),
  source: z.string().nullish(),
  type: z.string(),
  createdAt: z.string(),
  errorMessage: z.string().nullish(),
  preprocessingProgress: z.number().nullish(),
  originalUrl: z.string().nullish(),
  originalFileName: z.string().nullish(),
});
export type Asset = z.infer<typeof Asset>;

export const UploadSession = z.looseObject({ url: z.string() });
export type UploadSession = z.infer<typeof UploadSession>;

/** Query of `GET /assets` (listAssets). */
export interface AssetQuery {
  name?: string;
  type?: string;
  statuses?: string[];
}

// ── Workflows and batches ───────────────────────────────────────────────────────────────────────────────────

export const Workflow = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  isActive: z.boolean().optional(),
  isVisible: z.boolean().optional(),
  isArchived: z.boolean().optional(),
  createdAt: z.string(),
  isLimitWorkerToOncePerInputRecord: z.boolean().optional(),
});
export type Workflow = z.infer<typeof Workflow>;

const BatchPriority = z.enum(['low', 'normal', 'high']);

export const CreateBatchRequest = z.object({
  name: z.string().min(1),
  isEnabled: z.boolean().optional(),
  priority: BatchPriority.optional(),
});
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;

/** `PUT /batches/{id}` body (from the previous API generation; used to enable or disable a batch). */
export const UpdateBatchRequest = z.object({
  name: z.string().min(1).optional(),
  isEnabled: z.boolean().optional(),
  priority: BatchPriority.optional(),
});
export type UpdateBatchRequest = z.infer<typeof UpdateBatchRequest>;

export const Batch = z.looseObject({
  id: z.string(),
  name: z.string(),
  workflowId: z.string(),
  priority: z.string().optional(),
  isEnabled: z.boolean(),
  createdAt: z.string(),
});
export type Batch = z.infer<typeof Batch>;

/** The input-record count fields of a batch, as `GET /workflows/{id}/batches` rolls them up. */
export const BATCH_COUNT_FIELDS = [
  'complete',
  'inProgress',
  'queued',
  'archived',
  'archiving',
  'adminReview',
  'content',
  'exceptions',
  'canceled',
] as const;
export type BatchCountField = (typeof BATCH_COUNT_FIELDS)[number];
export type BatchCounts = Record<BatchCountField, number>;

export const BatchSummary = Batch.extend({
  complete: z.number(),
  inProgress: z.number(),
  queued: z.number(),
  archived: z.number(),
  archiving: z.number(),
  adminReview: z.number(),
  content: z.number(),
  exceptions: z.number(),
  canceled: z.number(),
  publishedForReview: z.boolean().optional(),
  status: z.string().optional(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

// ── Input records ───────────────────────────────────────────────────────────────────────────────────────────

/** Statuses an input record (a task) passes through. `exception` and `canceled` are final but carry no result. */
export const RecordStatus = z.enum(['queued', 'in-progress', 'complete', 'exception', 'canceled', 'error']);
export type RecordStatus = z.infer<typeof RecordStatus>;

export const CreateAssetRecordsRequest = z.object({ assetIds: z.array(z.string()) });
export type CreateAssetRecordsRequest = z.infer<typeof CreateAssetRecordsRequest>;

/** One rejected asset id. The element shape is a GUESS: the tutorial shows only an empty array. */
export const AssetValidationError = z.looseObject({ assetId: z.string(), message: z.string() });
export type AssetValidationError = z.infer<typeof AssetValidationError>;

export const CreateAssetRecordsResponse = z.looseObject({
  created: z.array(z.looseObject({ id: z.string(), assetId: z.string() })),
  assetValidationErrors: z.array(AssetValidationError),
});
export type CreateAssetRecordsResponse = z.infer<typeof CreateAssetRecordsResponse>;

/** One record of `POST /batches/{id}/records/import`: `metadata` is a string and a sibling of `data`. */
export const ImportRecord = z.strictObject({
  data: z.record(z.string(), z.unknown()),
  metadata: z.string().optional(),
});
export type ImportRecord = z.infer<typeof ImportRecord>;

export const InputRecord = z.looseObject({
  id: z.string(),
  createdAt: z.string(),
  metadata: z.string().nullish(),
  data: z.unknown(),
  workflowStageId: z.string().nullish(),
  status: z.string(),
  /** GUESS: the asset an asset-based record was made from. The tutorial's listing does not show it. */
  assetId: z.string().nullish(),
});
export type InputRecord = z.infer<typeof InputRecord>;

// ── Results and exports ─────────────────────────────────────────────────────────────────────────────────────

export const RecordResult = z.looseObject({
  id: z.string(),
  workflowId: z.string(),
  batchId: z.string(),
  inputRecordId: z.string(),
  createdAt: z.string(),
  iteration: z.number(),
});
export type RecordResult = z.infer<typeof RecordResult>;

/** Filters of the results listings (`GET /exports/workflows/{id}/results`, `GET /batches/{id}/results`). */
export interface ResultQuery {
  batchIds?: string[];
  minCreatedAt?: string;
  maxCreatedAt?: string;
}

export const ExportFileType = z.enum(['zip', 'json']);
export type ExportFileType = z.infer<typeof ExportFileType>;

export const CreateExportRequest = z.object({
  fileType: ExportFileType,
  filename: z.string().min(1),
  workflowId: z.string(),
  minCreatedAt: z.string().optional(),
  /** GUESS: implied by "more parameters", not shown. */
  maxCreatedAt: z.string().optional(),
  /** GUESS: implied by "more parameters", not shown. */
  batchIds: z.array(z.string()).optional(),
});
export type CreateExportRequest = z.infer<typeof CreateExportRequest>;

export const RecordResultExport = z.looseObject({
  id: z.string(),
  /** `in-progress`, then `ready` (and `downloaded` once fetched); `failed` is a GUESS. Any other is kept as sent. */
  status: z.string(),
  filename: z.string(),
  fileType: z.string(),
  recordResultCount: z.number(),
  workflowId: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullish(),
  s3Path: z.string().nullish(),
});
export type RecordResultExport = z.infer<typeof RecordResultExport>;

// ── Errors and pagination ───────────────────────────────────────────────────────────────────────────────────

export const ErrorBody = z.looseObject({ message: z.string(), errors: z.array(z.unknown()).optional() });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Pagination query parameters accepted by every paginated listing. */
export interface PageQuery {
  page?: number;
  pageSize?: number;
  sort?: '+createdAt' | '-createdAt';
}

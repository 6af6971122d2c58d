/**
 * Input records: created from uploaded assets, or imported as JSON for non-asset workflows; listed per batch
 * with a status filter.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateAssetRecordsRequest,
  ImportRecord,
  RECORDS_PER_REQUEST,
  isUuid,
} from '../../common/alegion.ts';
import type { AssetValidationError } from '../../common/alegion.ts';
import { parseExactJson } from '../../common/exact-json.ts';
import type { Route, SandboxApp } from '../app.ts';
import { HttpError, readJson, sendJson, validate } from '../http.ts';
import { paginate } from '../pagination.ts';
import type { BatchEntity, RecordEntity } from '../state.ts';
import { nextSeq } from '../state.ts';
import { findBatch } from './batches.ts';

/** Asset statuses from which a record may be made (the upload session has been closed with a file). */
const CLOSED_STATUSES = new Set([
  'pending-preprocessing',
  'preprocessing',
  'recovering-preprocessing',
  'uploaded',
]);

/** The record as the API lists it (`assetId` is an addition the tutorial does not show). */
export function recordView(app: SandboxApp, record: RecordEntity): Record<string, unknown> {
  return {
    id: record.id,
    createdAt: record.createdAt,
    metadata: record.metadata,
    data: record.data,
    workflowStageId: app.state.workflows.get(record.workflowId)?.stageId ?? null,
    status: record.status,
    assetId: record.assetId,
  };
}

function addRecord(
  app: SandboxApp,
  batch: BatchEntity,
  fields: { assetId: string | null; data: unknown; metadata: string | null },
): RecordEntity {
  const record: RecordEntity = {
    seq: nextSeq(app.state),
    id: randomUUID(),
    batchId: batch.id,
    workflowId: batch.workflowId,
    ...fields,
    status: 'queued',
    createdAt: new Date().toISOString(),
    nextAt: null,
    plan: null,
    restarted: false,
  };
  app.state.records.set(record.id, record);
  app.state.recordsByBatch.get(batch.id)?.push(record);
  return record;
}

function tooMany(what: string, count: number): HttpError {
  return new HttpError(422, `Too many ${what}: at most ${RECORDS_PER_REQUEST} per request, got ${count}`);
}

/** Record routes. */
export const recordRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/batches/:batchId/records/assets',
    auth: 'token',
    handler: async ({ app, req, res, params }) => {
      const batch = findBatch(app, params.batchId ?? '');
      const body = validate(CreateAssetRecordsRequest, await readJson(req));
      if (body.assetIds.length > RECORDS_PER_REQUEST) throw tooMany('asset ids', body.assetIds.length);
      const created: { id: string; assetId: string }[] = [];
      const assetValidationErrors: AssetValidationError[] = [];
      for (const assetId of body.assetIds) {
        const asset = isUuid(assetId) ? app.state.assets.get(assetId.toLowerCase()) : undefined;
        if (!isUuid(assetId)) {
          assetValidationErrors.push({ assetId, message: `Invalid UUID string: ${assetId}` });
        } else if (!asset) {
          assetValidationErrors.push({ assetId, message: `Asset not found: ${assetId}` });
        } else if (!CLOSED_STATUSES.has(asset.status)) {
          assetValidationErrors.push({
            assetId,
            message: `Asset is not uploaded: its status is ${asset.status}`,
          });
        } else {
          const record = addRecord(app, batch, {
            assetId: asset.id,
            data: { assetId: asset.id, name: asset.name, fileName: asset.fileName, type: asset.type },
            metadata: null,
          });
          created.push({ id: record.id, assetId: asset.id });
        }
      }
      if (batch.isEnabled && created.length > 0) app.wakeLabelers();
      sendJson(res, 201, { created, assetValidationErrors });
    },
  },
  {
    method: 'POST',
    path: '/v1/batches/:batchId/records/import',
    auth: 'token',
    handler: async ({ app, req, res, params }) => {
      const batch = findBatch(app, params.batchId ?? '');
      // Numbers are kept as written, as a real database column of JSON text would keep them.
      const body = await readJson(req, undefined, parseExactJson);
      if (!Array.isArray(body))
        throw new HttpError(422, 'The request body must be an array of input records');
      if (body.length > RECORDS_PER_REQUEST) throw tooMany('records', body.length);
      const records = body.map((item: unknown, index) => {
        const data = (item as { data?: unknown } | null)?.data;
        if (data !== null && typeof data === 'object' && 'metadata' in data) {
          throw new HttpError(
            422,
            `Record ${index}: metadata is a reserved word and must be a sibling of data, not a child of data`,
          );
        }
        const parsed = ImportRecord.safeParse(item);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'record';
          throw new HttpError(422, `Record ${index}: ${where}: ${issue?.message ?? 'invalid'}`);
        }
        return parsed.data;
      });
      const created = records.map((record) =>
        addRecord(app, batch, { assetId: null, data: record.data, metadata: record.metadata ?? null }),
      );
      if (batch.isEnabled && created.length > 0) app.wakeLabelers();
      sendJson(
        res,
        201,
        created.map((record) => recordView(app, record)),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/batches/:batchId/records',
    auth: 'token',
    handler: ({ app, req, res, url, params }) => {
      const batch = findBatch(app, params.batchId ?? '');
      const statuses = (url.searchParams.get('status') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const all = app.state.recordsByBatch.get(batch.id) ?? [];
      const matching = statuses.length === 0 ? all : all.filter((record) => statuses.includes(record.status));
      const page = paginate(req, url, matching);
      sendJson(
        res,
        200,
        page.items.map((record) => recordView(app, record)),
        page.headers,
      );
    },
  },
];

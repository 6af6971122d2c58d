/**
 * Record-result exports: created asynchronously (`in-progress`, then `ready`), read by id, and downloaded through
 * a `302` to a short-lived signed storage URL (the external storage's, when one is set for exports).
 */
import { randomUUID } from 'node:crypto';
import { CreateExportRequest, isUuid } from '../../common/alegion.ts';
import type { Route, SandboxApp } from '../app.ts';
import { writeExportFile } from '../export-files.ts';
import {
  HttpError,
  invalidUuidMessage,
  notFound,
  parseInstant,
  readJson,
  sendEmpty,
  sendJson,
  validate,
} from '../http.ts';
import { SANDBOX_USER_ID } from '../seed.ts';
import { signUrl } from '../signing.ts';
import type { ExportEntity } from '../state.ts';
import { nextSeq } from '../state.ts';
import { EXPORT_STORAGE_PREFIX, exportFilePath } from '../storage.ts';
import { findWorkflow } from './batches.ts';
import { selectResults } from './results.ts';

/** Milliseconds an export stays `in-progress` at least, so clients see the asynchronous step. */
const EXPORT_MIN_MS = 150;

function exportView(entity: ExportEntity): Record<string, unknown> {
  return {
    id: entity.id,
    status: entity.status,
    filename: entity.filename,
    fileType: entity.fileType,
    recordResultCount: entity.recordResultCount,
    workflowId: entity.workflowId,
    createdAt: entity.createdAt,
    createdBy: SANDBOX_USER_ID,
    s3Path: `s3://sandbox-secure-media/domain-object/record-result-export/${entity.id}/${entity.filename}`,
  };
}

function findExport(app: SandboxApp, id: string): ExportEntity {
  const entity = app.state.exports.get(id);
  if (!entity) throw notFound('Record result export', id);
  return entity;
}

/** Export routes. */
export const exportRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/exports/record-result-exports',
    auth: 'token',
    handler: async ({ app, req, res }) => {
      const body = validate(CreateExportRequest, await readJson(req));
      if (!isUuid(body.workflowId)) throw new HttpError(422, invalidUuidMessage(body.workflowId));
      for (const id of body.batchIds ?? []) if (!isUuid(id)) throw new HttpError(422, invalidUuidMessage(id));
      if (/[/\\]/.test(body.filename)) throw new HttpError(422, 'filename must not contain / or \\');
      const workflow = findWorkflow(app, body.workflowId.toLowerCase());
      const results = selectResults(app, {
        workflowId: workflow.id,
        batchIds: body.batchIds?.map((id) => id.toLowerCase()),
        minCreatedAt: parseInstant('minCreatedAt', body.minCreatedAt),
        maxCreatedAt: parseInstant('maxCreatedAt', body.maxCreatedAt),
      }).sort((a, b) => a.seq - b.seq);
      const entity: ExportEntity = {
        seq: nextSeq(app.state),
        id: randomUUID(),
        status: 'in-progress',
        filename: body.filename,
        fileType: body.fileType,
        recordResultCount: results.length,
        workflowId: workflow.id,
        createdAt: new Date().toISOString(),
        file: null,
      };
      app.state.exports.set(entity.id, entity);
      const started = Date.now();
      writeExportFile(app, entity, results, exportFilePath(app, entity.id)).then(
        () => app.later(Math.max(0, EXPORT_MIN_MS - (Date.now() - started)), () => (entity.status = 'ready')),
        (error: unknown) => {
          entity.status = 'failed';
          if (!app.closed)
            process.stderr.write(`sandbox: export ${entity.id} failed: ${(error as Error).message}\n`);
        },
      );
      sendJson(res, 201, exportView(entity));
    },
  },
  {
    method: 'GET',
    path: '/v1/exports/record-result-exports/:exportId',
    auth: 'token',
    handler: ({ app, res, params }) => {
      sendJson(res, 200, exportView(findExport(app, params.exportId ?? '')));
    },
  },
  {
    method: 'GET',
    path: '/v1/exports/record-result-exports/:exportId/download',
    auth: 'token',
    handler: async ({ app, res, params }) => {
      const entity = findExport(app, params.exportId ?? '');
      if (entity.status !== 'ready' && entity.status !== 'downloaded') {
        throw new HttpError(409, `Export ${entity.id} is not ready (status ${entity.status})`);
      }
      const external = app.options.externalStorage?.exportUrl;
      if (external) {
        const file = { id: entity.id, filename: entity.filename, path: exportFilePath(app, entity.id) };
        sendEmpty(res, 302, { location: await external(file, app.options.downloadUrlTtl) });
        return;
      }
      const location = signUrl(
        app.signingKey,
        app.origin,
        'GET',
        `${EXPORT_STORAGE_PREFIX}${entity.id}/${encodeURIComponent(entity.filename)}`,
        app.options.downloadUrlTtl,
      );
      sendEmpty(res, 302, { location });
    },
  },
];

/**
 * Record results: listed per workflow (optionally per batches) and per batch, filtered by creation time.
 */
import { isUuid } from '../../common/alegion.ts';
import type { Route, SandboxApp } from '../app.ts';
import { HttpError, invalidUuidMessage, parseInstant, sendJson } from '../http.ts';
import { paginate } from '../pagination.ts';
import type { ResultEntity } from '../state.ts';
import { findBatch, findWorkflow } from './batches.ts';

/** Filters shared by the results listings and export creation. */
interface ResultFilter {
  workflowId: string;
  batchIds?: string[];
  minCreatedAt?: number;
  maxCreatedAt?: number;
}

/** Results matching a filter (both time bounds inclusive), oldest first. */
export function selectResults(app: SandboxApp, filter: ResultFilter): ResultEntity[] {
  const batches = filter.batchIds && filter.batchIds.length > 0 ? new Set(filter.batchIds) : null;
  const selected: ResultEntity[] = [];
  for (const result of app.state.results.values()) {
    if (result.workflowId !== filter.workflowId) continue;
    if (batches && !batches.has(result.batchId)) continue;
    if (filter.minCreatedAt !== undefined && result.createdAtMs < filter.minCreatedAt) continue;
    if (filter.maxCreatedAt !== undefined && result.createdAtMs > filter.maxCreatedAt) continue;
    selected.push(result);
  }
  return selected;
}

/** The result as the listings show it. */
export function resultView(result: ResultEntity): Record<string, unknown> {
  return {
    id: result.id,
    workflowId: result.workflowId,
    batchId: result.batchId,
    inputRecordId: result.inputRecordId,
    createdAt: result.createdAt,
    iteration: result.iteration,
  };
}

/** Reads `batchIds` (comma-separated, or repeated); each must be a UUID. */
function readBatchIds(url: URL): string[] {
  const ids = url.searchParams
    .getAll('batchIds')
    .flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter((id) => id !== '');
  for (const id of ids) if (!isUuid(id)) throw new HttpError(422, invalidUuidMessage(id));
  return ids.map((id) => id.toLowerCase());
}

/** Result routes. */
export const resultRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/exports/workflows/:workflowId/results',
    auth: 'token',
    handler: ({ app, req, res, url, params }) => {
      const workflow = findWorkflow(app, params.workflowId ?? '');
      const results = selectResults(app, {
        workflowId: workflow.id,
        batchIds: readBatchIds(url),
        minCreatedAt: parseInstant('minCreatedAt', url.searchParams.get('minCreatedAt')),
        maxCreatedAt: parseInstant('maxCreatedAt', url.searchParams.get('maxCreatedAt')),
      });
      const page = paginate(req, url, results);
      sendJson(res, 200, page.items.map(resultView), page.headers);
    },
  },
  {
    method: 'GET',
    path: '/v1/batches/:batchId/results',
    auth: 'token',
    handler: ({ app, req, res, url, params }) => {
      const batch = findBatch(app, params.batchId ?? '');
      const results = selectResults(app, {
        workflowId: batch.workflowId,
        batchIds: [batch.id],
        minCreatedAt: parseInstant('minCreatedAt', url.searchParams.get('minCreatedAt')),
        maxCreatedAt: parseInstant('maxCreatedAt', url.searchParams.get('maxCreatedAt')),
      });
      const page = paginate(req, url, results);
      sendJson(res, 200, page.items.map(resultView), page.headers);
    },
  },
];

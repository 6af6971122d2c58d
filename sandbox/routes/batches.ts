/**
 * Workflows (seeded, read-only) and their batches: create, list with the record counts rolled up, get, update.
 */
import { randomUUID } from 'node:crypto';
import { CreateBatchRequest, UpdateBatchRequest } from '../../common/alegion.ts';
import type { BatchCounts } from '../../common/alegion.ts';
import type { Route, SandboxApp } from '../app.ts';
import { notFound, readJson, sendJson, validate } from '../http.ts';
import { paginate } from '../pagination.ts';
import type { BatchEntity } from '../state.ts';
import { nextSeq } from '../state.ts';

/** A workflow by id, or `404`. */
export function findWorkflow(app: SandboxApp, id: string) {
  const workflow = app.state.workflows.get(id);
  if (!workflow) throw notFound('Workflow', id);
  return workflow;
}

/** A batch by id, or `404`. */
export function findBatch(app: SandboxApp, id: string): BatchEntity {
  const batch = app.state.batches.get(id);
  if (!batch) throw notFound('Batch', id);
  return batch;
}

/** The batch as a container object (`GET /batches/{id}`, create, update). */
function batchView(batch: BatchEntity): Record<string, unknown> {
  return {
    id: batch.id,
    name: batch.name,
    workflowId: batch.workflowId,
    priority: batch.priority,
    isEnabled: batch.isEnabled,
    createdAt: batch.createdAt,
  };
}

/** The batch's input records counted by status, under the tutorial's field names. */
function batchCounts(app: SandboxApp, batchId: string): BatchCounts {
  const counts: BatchCounts = {
    complete: 0,
    inProgress: 0,
    queued: 0,
    archived: 0,
    archiving: 0,
    adminReview: 0,
    content: 0,
    exceptions: 0,
    canceled: 0,
  };
  for (const record of app.state.recordsByBatch.get(batchId) ?? []) {
    if (record.status === 'complete') counts.complete++;
    else if (record.status === 'in-progress') counts.inProgress++;
    else if (record.status === 'queued') counts.queued++;
    else if (record.status === 'exception') counts.exceptions++;
    else if (record.status === 'canceled') counts.canceled++;
  }
  return counts;
}

/** Workflow and batch routes. */
export const batchRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/workflows',
    auth: 'token',
    handler: ({ app, req, res, url }) => {
      const workflows = [...app.state.workflows.values()].map((workflow, index) => ({
        ...workflow,
        seq: index,
      }));
      const page = paginate(req, url, workflows);
      const body = page.items.map((workflow) => ({
        id: workflow.id,
        name: workflow.name,
        description: workflow.description,
        isActive: true,
        isVisible: true,
        isArchived: false,
        createdAt: workflow.createdAt,
        isLimitWorkerToOncePerInputRecord: false,
      }));
      sendJson(res, 200, body, page.headers);
    },
  },
  {
    method: 'POST',
    path: '/v1/workflows/:workflowId/batches',
    auth: 'token',
    handler: async ({ app, req, res, params }) => {
      const workflow = findWorkflow(app, params.workflowId ?? '');
      const body = validate(CreateBatchRequest, await readJson(req));
      const batch: BatchEntity = {
        seq: nextSeq(app.state),
        id: randomUUID(),
        name: body.name,
        workflowId: workflow.id,
        priority: body.priority ?? 'normal',
        isEnabled: body.isEnabled ?? false,
        createdAt: new Date().toISOString(),
      };
      app.state.batches.set(batch.id, batch);
      app.state.recordsByBatch.set(batch.id, []);
      sendJson(res, 201, batchView(batch));
    },
  },
  {
    method: 'GET',
    path: '/v1/workflows/:workflowId/batches',
    auth: 'token',
    handler: ({ app, req, res, url, params }) => {
      const workflow = findWorkflow(app, params.workflowId ?? '');
      const batches = [...app.state.batches.values()].filter((batch) => batch.workflowId === workflow.id);
      const page = paginate(req, url, batches);
      const body = page.items.map((batch) => ({
        ...batchView(batch),
        ...batchCounts(app, batch.id),
        publishedForReview: false,
        status: 'Active',
      }));
      sendJson(res, 200, body, page.headers);
    },
  },
  {
    method: 'GET',
    path: '/v1/batches/:batchId',
    auth: 'token',
    handler: ({ app, res, params }) => {
      sendJson(res, 200, batchView(findBatch(app, params.batchId ?? '')));
    },
  },
  {
    method: 'PUT',
    path: '/v1/batches/:batchId',
    auth: 'token',
    handler: async ({ app, req, res, params }) => {
      const batch = findBatch(app, params.batchId ?? '');
      const body = validate(UpdateBatchRequest, await readJson(req));
      if (body.name !== undefined) batch.name = body.name;
      if (body.priority !== undefined) batch.priority = body.priority;
      if (body.isEnabled !== undefined) batch.isEnabled = body.isEnabled;
      if (batch.isEnabled) app.wakeLabelers();
      sendJson(res, 200, batchView(batch));
    },
  },
];

/** The batches endpoints of a workflow. */
import { Batch, BatchSummary, CreateBatchRequest, UpdateBatchRequest } from '../../common/alegion.ts';
import { batchRef, seg, workflowRef } from './client-core.ts';
import type { ClientCore } from './client-core.ts';
import type { AlegionClient } from './types.ts';

/** The batches endpoints of a workflow. */
export function batchMethods(
  core: ClientCore,
): Pick<AlegionClient, 'createBatch' | 'listBatches' | 'getBatch' | 'updateBatch'> {
  const { call, parse, validated, listing } = core;
  return {
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
  };
}

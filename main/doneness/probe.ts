/**
 * Reads the raw completion counts of one batch from the API: three `pageSize=1` counts and the batch's row of
 * `GET /workflows/{id}/batches`.
 */
import { BATCH_COUNT_FIELDS } from '../../common/alegion.ts';
import type { BatchCounts, BatchSummary } from '../../common/alegion.ts';
import type { AlegionClient } from '../alegion/types.ts';
import type { CompletionCounts } from './completion.ts';

/** The part of the client the doneness monitor uses. */
export type DonenessClient = Pick<AlegionClient, 'listRecords' | 'listWorkflowResults' | 'listBatches'>;

/** Statuses that are final but carry no result. */
const FINAL_WITHOUT_RESULT = ['exception', 'canceled'];

/** The count fields of a batch summary. */
function batchCountsOf(batch: BatchSummary): BatchCounts {
  return Object.fromEntries(BATCH_COUNT_FIELDS.map((field) => [field, batch[field]])) as BatchCounts;
}

/** The batch's row of the workflow's batch listing (newest first, so a fresh batch is found on page one). */
async function findBatchCounts(
  client: DonenessClient,
  workflowId: string,
  batchId: string,
): Promise<BatchCounts | undefined> {
  for await (const batch of client.listBatches(workflowId, { sort: '-createdAt' })) {
    if (batch.id === batchId) return batchCountsOf(batch);
  }
  return undefined;
}

/**
 * Reads the counts of one batch. The three counts are read one after the other, in this order, so that a task
 * moving between them is never counted twice: results first (a task only ever enters them), then exception and
 * canceled (a task in exception may be restarted and later produce a result, which the earlier results count did
 * not see), then the records last (they only grow). Reading them at once could count a restarted task both as an
 * exception and as a result, and call a batch done too early.
 */
export async function readCompletionCounts(
  client: DonenessClient,
  workflowId: string,
  batchId: string,
  expectedRecords?: number,
): Promise<CompletionCounts> {
  const batchCounts = findBatchCounts(client, workflowId, batchId);
  // Settle the parallel listing even if a count fails first, so its rejection is never left unhandled.
  batchCounts.catch(() => undefined);
  const results = await client.listWorkflowResults(workflowId, { batchIds: [batchId] }).count();
  const exceptionOrCanceled = await client.listRecords(batchId, { status: FINAL_WITHOUT_RESULT }).count();
  const records = await client.listRecords(batchId).count();
  return {
    workflowId,
    batchId,
    records,
    results,
    exceptionOrCanceled,
    batchCounts: await batchCounts,
    expectedRecords,
  };
}

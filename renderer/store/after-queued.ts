/**
 * What follows queuing anything into a batch (files or records): the sidebar learns a new batch and follows the
 * batch's completion, and the queue is shown with fresh counts.
 */
import type { UploadTarget } from '../../common/api.ts';
import type { GetState } from './types.ts';

/** Follows the target batch and shows the queue. */
export async function showQueuedInto(get: GetState, target: UploadTarget): Promise<void> {
  if (target.newBatch) await get().loadBatches(target.workflowId);
  // Follow the target batch's completion so the sidebar shows its progress without opening it.
  const batchId =
    target.batchId ?? get().batches[target.workflowId]?.find((b) => b.name === target.newBatch?.name)?.id;
  if (batchId) void get().followBatch(target.workflowId, batchId);
  get().navigate({ name: 'queue' });
  get().refreshQueue();
  void get().loadQueueTotals();
  void get().loadTransfers();
}

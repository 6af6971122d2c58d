/**
 * Gets labeled results into a sandbox the way a customer does: register assets, upload them through signed URLs,
 * close the sessions, create an enabled batch and its input records, then wait until the labelers (taskSeconds 0)
 * have produced a result for every record.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { AlegionClient } from '../../../main/alegion/types.ts';

export interface FinishedBatch {
  batchId: string;
  assetIds: string[];
  /** Asset name -> bytes uploaded. */
  files: Map<string, Buffer>;
}

/** Uploads `count` image assets of `size` random bytes each (register, signed PUT, close). */
async function uploadAssets(
  client: AlegionClient,
  options: { count: number; size?: number; prefix?: string },
): Promise<{ assetIds: string[]; files: Map<string, Buffer> }> {
  const prefix = options.prefix ?? `img-${randomBytes(3).toString('hex')}`;
  const files = new Map<string, Buffer>();
  const assetIds: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const name = `${prefix}-${i}.png`;
    const body = randomBytes(options.size ?? 2048);
    const asset = await client.createAsset({ name, fileName: name, type: 'image' });
    const session = await client.openUploadSession(asset.id);
    await client.putSignedUrl(session.url, Readable.from([body]), { size: body.length });
    await client.closeUploadSession(asset.id);
    files.set(name, body);
    assetIds.push(asset.id);
  }
  return { assetIds, files };
}

/** Adds records for fresh assets to an enabled batch and waits until the batch has `expectTotal` results. */
export async function addFinishedRecords(
  client: AlegionClient,
  batchId: string,
  options: { count: number; size?: number; expectTotal: number },
): Promise<{ assetIds: string[]; files: Map<string, Buffer> }> {
  const uploaded = await uploadAssets(client, options);
  const created = await client.createAssetRecords(batchId, uploaded.assetIds);
  if (created.assetValidationErrors.length > 0) {
    throw new Error(`records refused: ${JSON.stringify(created.assetValidationErrors)}`);
  }
  await waitForResults(client, batchId, options.expectTotal);
  return uploaded;
}

/** Uploads `count` image assets and makes an enabled batch of them that the labelers finish. */
export async function createFinishedBatch(
  client: AlegionClient,
  workflowId: string,
  options: { count: number; size?: number },
): Promise<FinishedBatch> {
  const batch = await client.createBatch(workflowId, {
    name: `batch ${randomBytes(3).toString('hex')}`,
    isEnabled: true,
  });
  const { assetIds, files } = await addFinishedRecords(client, batch.id, {
    ...options,
    expectTotal: options.count,
  });
  return { batchId: batch.id, assetIds, files };
}

/** Waits until a batch has at least `count` results. */
async function waitForResults(client: AlegionClient, batchId: string, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const results = await client.listBatchResults(batchId).count();
    if (results >= count) return;
    if (Date.now() > deadline) throw new Error(`batch ${batchId}: ${results} of ${count} results after 30 s`);
    await delay(50);
  }
}

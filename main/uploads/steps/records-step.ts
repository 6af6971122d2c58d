/**
 * The records step: closed assets (and queued input records) are gathered per batch target and posted in chunks of
 * at most 1,000 after a short linger, so labeling starts while the upload goes on. Each chunk is written to the
 * journal before its POST; a chunk whose outcome is unknown (crash, cut connection) is reconciled by listing the
 * batch's records before anything is posted again: matching `assetId` for assets (or, when the listing does not
 * show `assetId`, the batch's record count before and after), and for imported records their content (data and
 * metadata, identical rows counted one by one) among the records made since the chunk was written that the journal
 * does not already know. Nothing of ours is written into a record.
 */
import { RECORDS_PER_REQUEST } from '../../../common/alegion.ts';
import type { ImportRecord, InputRecord } from '../../../common/alegion.ts';
import { NotFoundError, OutcomeUnknownError } from '../../alegion/errors.ts';
import { parseExactJson } from '../../../common/exact-json.ts';
import { BatchGoneError, classifyFailure } from '../queue/failures.ts';
import type { ChunkRow, ItemRow, TargetRow } from '../journal/item-types.ts';
import { knownRecordIds } from '../journal/records.ts';
import { recordContentKey, RecordsByContent } from '../record-identity.ts';
import type { StepContext } from './step-context.ts';
import { beginChunk, chunkItems, settleChunk } from '../journal/chunks.ts';
import { readyForRecords } from '../journal/items.ts';
import { forgetBatch, setTargetState, targetHasRecords } from '../journal/targets.ts';

type Settlement = Parameters<typeof settleChunk>[2];

/**
 * How far the server's clock may be behind ours: a listed record made more than this before its chunk was written
 * cannot be the chunk's.
 */
const CLOCK_SKEW_MS = 10 * 60_000;

/** Creates the target's batch once (by name), adopting one a lost answer may have created; returns its id. */
export async function ensureBatch(ctx: StepContext, target: TargetRow): Promise<string> {
  const { journal, client } = ctx;
  if (target.state === 'ready' && target.batchId) return target.batchId;
  const name = target.newBatchName;
  if (!name) throw new Error('a batch target without a batch id or a name');
  const adopt = async (): Promise<string | undefined> => {
    let found: { id: string; createdAt: string } | undefined;
    await ctx.api.run(async () => {
      for await (const batch of client.listBatches(target.workflowId, { pageSize: 100 })) {
        if (batch.name === name && (!found || batch.createdAt > found.createdAt)) found = batch;
      }
    });
    if (found) setTargetState(journal, target.id, 'ready', found.id);
    return found?.id;
  };
  if (target.state === 'creating') {
    const adopted = await adopt();
    if (adopted) return adopted;
  }
  setTargetState(journal, target.id, 'creating');
  try {
    const batch = await ctx.api.run(() =>
      client.createBatch(target.workflowId, { name, isEnabled: target.enabled }),
    );
    setTargetState(journal, target.id, 'ready', batch.id);
    return batch.id;
  } catch (error) {
    if (error instanceof OutcomeUnknownError) {
      const adopted = await adopt();
      if (adopted) return adopted;
    }
    throw error;
  }
}

/** True when the error says the batch a request went to does not exist. */
export function isBatchNotFound(error: unknown): boolean {
  return error instanceof NotFoundError && error.resource === 'batch';
}

/**
 * Checks that a new batch the journal remembers still exists (a server reset or a deleted batch). If it is gone and
 * no item of the target has a record yet, nothing can be duplicated: the batch is forgotten and made again by
 * `ensureBatch`. If records were made in it, it fails with BatchGoneError (a global condition) instead of silently
 * splitting the upload across two batches. Network trouble leaves the target as it is (the runner copes).
 */
export async function recheckRememberedBatch(ctx: StepContext, target: TargetRow): Promise<TargetRow> {
  if (target.state !== 'ready' || !target.batchId || !target.newBatchName) return target;
  const batchId = target.batchId;
  try {
    await ctx.api.run(() => ctx.client.getBatch(batchId));
    return target;
  } catch (error) {
    if (!isBatchNotFound(error)) return target;
  }
  if (targetHasRecords(ctx.journal, target.id)) {
    throw new BatchGoneError(target.newBatchName, batchId, hostOf(ctx.client.baseUrl));
  }
  forgetBatch(ctx.journal, target.id);
  return { ...target, state: 'pending', batchId: null };
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

async function listAll(ctx: StepContext, batchId: string): Promise<InputRecord[]> {
  const records: InputRecord[] = [];
  await ctx.api.run(async () => {
    for await (const record of ctx.client.listRecords(batchId, { pageSize: 1000 })) records.push(record);
  });
  return records;
}

async function countRecords(ctx: StepContext, batchId: string): Promise<number> {
  return ctx.api.run(() => ctx.client.listRecords(batchId, { page: 1, pageSize: 1 }).count());
}

/** Decides, from the batch as the server lists it now, what became of a chunk whose outcome is unknown. */
export async function reconcileChunk(ctx: StepContext, chunk: ChunkRow): Promise<Settlement> {
  const items = chunkItems(ctx.journal, chunk.id);
  const settlement: {
    created: Settlement['created'][number][];
    rejected: [];
    again: Settlement['again'][number][];
  } = {
    created: [],
    rejected: [],
    again: [],
  };
  if (items.length === 0) return settlement;
  if (chunk.kind === 'import') {
    const candidates = new RecordsByContent();
    const known = knownRecordIds(ctx.journal, chunk.batchId);
    const since = new Date(chunk.createdAt - CLOCK_SKEW_MS).toISOString();
    for (const record of await listAll(ctx, chunk.batchId)) {
      // A record this uploader already knows, or one made before the chunk was written, is not this chunk's.
      if (known.has(record.id) || (record.createdAt && record.createdAt < since)) continue;
      candidates.add(recordContentKey(record.data, record.metadata), record.id);
    }
    for (const item of items) {
      const payload = payloadOf(item);
      const recordId = candidates.take(recordContentKey(payload.data, payload.metadata));
      if (recordId) settlement.created.push({ itemId: item.id, recordId });
      else settlement.again.push({ itemId: item.id, kind: item.kind });
    }
    return settlement;
  }
  const records = await listAll(ctx, chunk.batchId);
  const listsAssetIds = records.some((record) => typeof record.assetId === 'string');
  if (listsAssetIds || records.length === 0) {
    const byAsset = new Map(records.map((record) => [record.assetId ?? '', record.id]));
    for (const item of items) {
      const recordId = byAsset.get(item.assetId ?? '');
      if (recordId) settlement.created.push({ itemId: item.id, recordId });
      else settlement.again.push({ itemId: item.id, kind: item.kind });
    }
    return settlement;
  }
  // The listing does not say which asset a record is for: compare the batch's count with the one written before
  // the POST. One chunk per batch is in flight at a time, so the difference is this chunk's doing.
  const created = records.length - (chunk.countBefore ?? records.length);
  for (const item of items) {
    if (created > 0) settlement.created.push({ itemId: item.id, recordId: null });
    else settlement.again.push({ itemId: item.id, kind: item.kind });
  }
  return settlement;
}

/** The record to send, numbers exactly as the file wrote them. */
function payloadOf(item: ItemRow): ImportRecord {
  return parseExactJson(item.payload ?? '{"data":{}}') as ImportRecord;
}

/** Posts one chunk of ready items for a target; returns the ids it took (none when nothing was ready). */
export async function postChunk(
  ctx: StepContext,
  target: TargetRow,
  batchId: string,
  kind: ItemRow['kind'],
): Promise<number[]> {
  const { journal, client } = ctx;
  // Items over their run's record limit are held here, before anything is written or sent.
  const items = ctx.recordLimits.fitChunk(readyForRecords(journal, target.id, kind, RECORDS_PER_REQUEST));
  if (items.length === 0) return [];
  const countBefore = kind === 'file' ? await countRecords(ctx, batchId) : null;
  const chunkId = beginChunk(
    journal,
    target.id,
    batchId,
    kind === 'file' ? 'assets' : 'import',
    items.map((item) => item.id),
    countBefore,
  );
  try {
    if (kind === 'file') {
      const byAsset = new Map(items.map((item) => [item.assetId ?? '', item]));
      const response = await ctx.api.run(() => client.createAssetRecords(batchId, [...byAsset.keys()]));
      const settled = new Set<number>();
      const settlement: Settlement = {
        created: response.created.flatMap((record) => {
          const item = byAsset.get(record.assetId);
          if (!item) return [];
          settled.add(item.id);
          return [{ itemId: item.id, recordId: record.id }];
        }),
        rejected: response.assetValidationErrors.flatMap((problem) => {
          const item = byAsset.get(problem.assetId);
          if (!item || settled.has(item.id)) return [];
          settled.add(item.id);
          return [{ itemId: item.id, reason: `rejected by the server: ${problem.message}` }];
        }),
        again: [],
      };
      // An id the answer does not mention was not created: post it again with the next chunk.
      const again = items.filter((item) => !settled.has(item.id)).map((item) => ({ itemId: item.id, kind }));
      settleChunk(journal, chunkId, { ...settlement, again });
    } else {
      const payloads = items.map(payloadOf);
      const created = await ctx.api.run(() => client.importRecords(batchId, payloads));
      // Each created record is matched by content (identical rows one by one), by position if the server changed it.
      const byContent = new RecordsByContent();
      for (const record of created) byContent.add(recordContentKey(record.data, record.metadata), record.id);
      const settlement: Settlement = { created: [], rejected: [], again: [] };
      items.forEach((item, index) => {
        const payload = payloads[index];
        const recordId =
          (payload && byContent.take(recordContentKey(payload.data, payload.metadata))) ?? created[index]?.id;
        if (recordId)
          (settlement.created as { itemId: number; recordId: string }[]).push({ itemId: item.id, recordId });
        else
          (settlement.again as { itemId: number; kind: ItemRow['kind'] }[]).push({ itemId: item.id, kind });
      });
      settleChunk(journal, chunkId, settlement);
    }
  } catch (error) {
    const failure = classifyFailure(error);
    if (error instanceof OutcomeUnknownError || failure.kind === 'network') {
      // Leave the chunk open: it is reconciled (by listing the batch) before anything else is posted.
      throw error;
    }
    if (failure.kind === 'item') {
      settleChunk(journal, chunkId, {
        created: [],
        rejected: items.map((item) => ({
          itemId: item.id,
          reason: `rejected by the server: ${failure.message}`,
        })),
        again: [],
      });
      return items.map((item) => item.id);
    }
    // Nothing was created (rate limited, refused before processing, a global condition): put them back.
    settleChunk(journal, chunkId, {
      created: [],
      rejected: [],
      again: items.map((item) => ({ itemId: item.id, kind })),
    });
    throw error;
  }
  return items.map((item) => item.id);
}

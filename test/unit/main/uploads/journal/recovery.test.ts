import { writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempJournal } from '../../../../support/temp-journal.ts';
import type { Asset, InputRecord } from '../../../../../common/alegion.ts';
import { NotFoundError, OutcomeUnknownError } from '../../../../../main/alegion/errors.ts';
import type { AlegionClient, Paginated } from '../../../../../main/alegion/types.ts';
import { assetNameFor } from '../../../../../main/uploads/asset-identity.ts';
import { RecordLimits } from '../../../../../main/uploads/record-limit.ts';
import { ContentDedupe } from '../../../../../main/uploads/intake/content-dedupe.ts';
import { Limiter, TokenBucket } from '../../../../../main/uploads/queue/limits.ts';
import { linkVaultWithKey } from '../../../../../main/uploads/journal/link-vault.ts';
import { ProgressTracker } from '../../../../../main/uploads/queue/progress.ts';
import { BatchGoneError } from '../../../../../main/uploads/queue/failures.ts';
import {
  postChunk,
  recheckRememberedBatch,
  reconcileChunk,
} from '../../../../../main/uploads/steps/records-step.ts';
import type { StepContext } from '../../../../../main/uploads/steps/step-context.ts';
import { uploadItem } from '../../../../../main/uploads/steps/upload-step.ts';
import { beginChunk, openChunks } from '../../../../../main/uploads/journal/chunks.ts';
import { getItem, insertFiles, nextItems, updateItem } from '../../../../../main/uploads/journal/items.ts';
import {
  ensureTarget,
  getTarget,
  openRun,
  setTargetState,
} from '../../../../../main/uploads/journal/targets.ts';

function paginated<T>(items: T[]): Paginated<T> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* items;
    },
    count: async () => items.length,
  };
}

/** A fake of the few client methods these steps call; everything else throws. */
function fakeClient(overrides: Partial<AlegionClient>): AlegionClient {
  return new Proxy(overrides as AlegionClient, {
    get(target, key) {
      if (key in target) return target[key as keyof AlegionClient];
      return () => {
        throw new Error(`unexpected call: ${String(key)}`);
      };
    },
  });
}

function asset(id: string, name: string): Asset {
  return { id, name, status: 'uploading', type: 'image', createdAt: '2026-01-01T00:00:00Z' };
}

describe('recovery decisions', () => {
  const temp = useTempJournal('recovery-');

  function context(client: AlegionClient): StepContext {
    return {
      journal: temp.journal,
      client,
      api: new Limiter(4),
      puts: new Limiter(2),
      bucket: new TokenBucket(0),
      vault: linkVaultWithKey(Buffer.alloc(32, 1)),
      progress: new ProgressTracker(),
      now: Date.now,
      maxFileBytes: 0,
      signedUrlReuseMs: 60_000,
      recordLimits: new RecordLimits(temp.journal),
      contentDedupe: new ContentDedupe(temp.journal),
    };
  }

  function queueFile(state: 'registering' | 'probed' | 'closed', assetId?: string): number {
    const path = join(temp.dir, `photo-${Math.random()}.png`);
    writeFileSync(path, 'png bytes');
    const stats = statSync(path);
    const target = ensureTarget(temp.journal, 'wf', { batchId: 'batch-1' });
    const run = openRun(temp.journal, 'r');
    insertFiles(
      temp.journal,
      run.id,
      target,
      [{ path, name: 'photo.png', size: stats.size, mtimeMs: stats.mtimeMs }],
      false,
    );
    const [item] = nextItems(temp.journal, 'file', ['queued'], 1, new Set());
    updateItem(temp.journal, item!.id, { state, mediaKind: 'image', ...(assetId ? { assetId } : {}) });
    return item!.id;
  }

  it('a registering item whose asset exists is adopted by name, never registered twice', async () => {
    const id = queueFile('registering');
    const name = assetNameFor(temp.journal.journalId, id, getItem(temp.journal, id)!.path);
    let created = 0;
    const client = fakeClient({
      listAssets: (query) => paginated(query?.name === name ? [asset('asset-1', name)] : []),
      createAsset: async () => {
        created++;
        return asset('asset-2', name);
      },
      openUploadSession: async () => {
        throw new OutcomeUnknownError('stop here');
      },
    });
    await expect(
      uploadItem(context(client), getItem(temp.journal, id)!, new AbortController().signal),
    ).rejects.toThrow('stop here');
    expect(created).toBe(0);
    expect(getItem(temp.journal, id)).toMatchObject({
      state: 'registered',
      assetId: 'asset-1',
      assetName: name,
    });
  });

  it('a register whose answer was lost looks the name up before trying again', async () => {
    const id = queueFile('probed');
    let listed = 0;
    const client = fakeClient({
      createAsset: async () => {
        throw new OutcomeUnknownError('createAsset');
      },
      listAssets: (query) => {
        listed++;
        return paginated([asset('asset-9', query?.name ?? '')]);
      },
      openUploadSession: async () => {
        throw new OutcomeUnknownError('stop here');
      },
    });
    await expect(
      uploadItem(context(client), getItem(temp.journal, id)!, new AbortController().signal),
    ).rejects.toThrow('stop here');
    expect(listed).toBe(1);
    expect(getItem(temp.journal, id)).toMatchObject({ state: 'registered', assetId: 'asset-9' });
  });

  it('an asset chunk in doubt is settled by assetId when the listing shows it', async () => {
    const a = queueFile('closed', 'asset-a');
    const b = queueFile('closed', 'asset-b');
    const chunkId = beginChunk(temp.journal, 1, 'batch-1', 'assets', [a, b], 0);
    const records: InputRecord[] = [
      { id: 'rec-a', createdAt: '', status: 'queued', data: {}, assetId: 'asset-a' },
      { id: 'rec-x', createdAt: '', status: 'queued', data: {}, assetId: 'asset-other' },
    ];
    const ctx = context(fakeClient({ listRecords: () => paginated(records) }));
    const settlement = await reconcileChunk(
      ctx,
      openChunks(temp.journal).find((c) => c.id === chunkId)!,
    );
    expect(settlement.created).toEqual([{ itemId: a, recordId: 'rec-a' }]);
    expect(settlement.again).toEqual([{ itemId: b, kind: 'file' }]);
  });

  it('without assetId in the listing, the batch count before and after decides', async () => {
    const a = queueFile('closed', 'asset-a');
    const b = queueFile('closed', 'asset-b');
    const noAssetIds = (n: number): InputRecord[] =>
      Array.from({ length: n }, (_, i) => ({ id: `r${i}`, createdAt: '', status: 'queued', data: {} }));
    const chunkId = beginChunk(temp.journal, 1, 'batch-1', 'assets', [a, b], 5);
    const chunk = openChunks(temp.journal).find((c) => c.id === chunkId)!;
    const created = await reconcileChunk(
      context(fakeClient({ listRecords: () => paginated(noAssetIds(7)) })),
      chunk,
    );
    expect(created.created.map((c) => c.itemId)).toEqual([a, b]);
    const notCreated = await reconcileChunk(
      context(fakeClient({ listRecords: () => paginated(noAssetIds(5)) })),
      chunk,
    );
    expect(notCreated.again.map((c) => c.itemId)).toEqual([a, b]);
  });

  it('fails exactly the items the server rejects, with its reason, and posts the rest once', async () => {
    const a = queueFile('closed', 'asset-a');
    const b = queueFile('closed', 'asset-b');
    const posted: string[][] = [];
    const client = fakeClient({
      listRecords: () => paginated([]),
      createAssetRecords: async (_batch, ids) => {
        posted.push([...ids]);
        return {
          created: [{ id: 'rec-a', assetId: 'asset-a' }],
          assetValidationErrors: [
            { assetId: 'asset-b', message: 'Asset is not uploaded: its status is uploading' },
          ],
        };
      },
    });
    const target = getTarget(temp.journal, 1)!;
    const ids = await postChunk(context(client), target, 'batch-1', 'file');
    expect(ids.sort()).toEqual([a, b].sort());
    expect(posted).toEqual([['asset-a', 'asset-b']]);
    expect(getItem(temp.journal, a)).toMatchObject({ state: 'done', recordId: 'rec-a' });
    expect(getItem(temp.journal, b)).toMatchObject({
      state: 'failed',
      reason: 'rejected by the server: Asset is not uploaded: its status is uploading',
    });
    expect(openChunks(temp.journal)).toEqual([]);
  });

  it('makes a remembered new batch again only when none of its items has a record yet', async () => {
    const gone = fakeClient({
      baseUrl: 'http://127.0.0.1:4010/v1',
      getBatch: async (id: string) => {
        throw new NotFoundError('batch', id);
      },
    });
    const fresh = ensureTarget(temp.journal, 'wf', { newBatchName: 'fresh', enabled: false }, undefined, 's');
    setTargetState(temp.journal, fresh.id, 'ready', 'old-1');
    const again = await recheckRememberedBatch(context(gone), getTarget(temp.journal, fresh.id)!);
    expect(again).toMatchObject({ state: 'pending', batchId: null });
    expect(getTarget(temp.journal, fresh.id)).toMatchObject({ state: 'pending', batchId: null });

    const used = ensureTarget(temp.journal, 'wf', { newBatchName: 'used', enabled: false }, undefined, 's');
    setTargetState(temp.journal, used.id, 'ready', 'old-2');
    const run = openRun(temp.journal, 'used');
    insertFiles(
      temp.journal,
      run.id,
      used,
      [{ path: '/p/a.png', name: 'a.png', size: 1, mtimeMs: 1 }],
      false,
    );
    const item = nextItems(temp.journal, 'file', ['queued'], 1, new Set())[0]!;
    updateItem(temp.journal, item.id, { state: 'done', recordId: 'r-1' });
    await expect(recheckRememberedBatch(context(gone), getTarget(temp.journal, used.id)!)).rejects.toThrow(
      BatchGoneError,
    );
    await expect(recheckRememberedBatch(context(gone), getTarget(temp.journal, used.id)!)).rejects.toThrow(
      "batch 'used' (old-2) remembered from an earlier run no longer exists on 127.0.0.1:4010",
    );
    expect(getTarget(temp.journal, used.id)).toMatchObject({ state: 'ready', batchId: 'old-2' });

    // A batch the server still has leaves the target alone.
    const there = fakeClient({ baseUrl: 'http://x/v1', getBatch: async () => ({}) as never });
    expect(await recheckRememberedBatch(context(there), getTarget(temp.journal, used.id)!)).toMatchObject({
      batchId: 'old-2',
    });
  });
});

/**
 * The network part of one file: register the asset (looking it up by its stable name first when a previous
 * attempt may have created it), open an upload session (or use a still-valid sealed one again), stream the PUT
 * with the MD5 computed on the way and checked against the storage ETag, and close the session. Each step's intent
 * is in the journal before its request goes out; its outcome right after.
 */
import { basename } from 'node:path';
import { ASSET_TYPE_FOR_KIND } from '../../common/alegion.ts';
import type { Asset } from '../../common/alegion.ts';
import { OutcomeUnknownError, SignedUrlExpiredError } from '../alegion/errors.ts';
import { assetNameFor } from './asset-identity.ts';
import { ItemFailure } from './failures.ts';
import { fileChange } from './probe-step.ts';
import { openTransfer } from './transfer-stream.ts';
import type { ItemRow } from './item-types.ts';
import type { StepContext } from './step-context.ts';

/** Expired signed URLs replaced within one attempt before it counts as a failure. */
const MAX_SESSION_RENEWALS = 3;

/** The asset with exactly this name, if the platform has one. */
export async function findAssetByName(ctx: StepContext, name: string): Promise<Asset | undefined> {
  return ctx.api.run(async () => {
    for await (const asset of ctx.client.listAssets({ name, pageSize: 100 })) {
      if (asset.name === name) return asset;
    }
    return undefined;
  });
}

/** Takes a file from `probed` (or any later upload state) to `closed`. Throws on failure; the caller classifies. */
export async function uploadItem(ctx: StepContext, item: ItemRow, signal: AbortSignal): Promise<void> {
  const changed = await fileChange(item);
  if (changed) throw new ItemFailure(changed);
  let current = item;
  if (current.state === 'probed' || current.state === 'registering') current = await register(ctx, current);
  signal.throwIfAborted();
  if (current.state === 'registered' || current.state === 'uploading')
    current = await transfer(ctx, current, signal);
  signal.throwIfAborted();
  if (current.state === 'uploaded') await close(ctx, current);
}

function advance(
  ctx: StepContext,
  item: ItemRow,
  patch: Parameters<StepContext['journal']['advanceItem']>[1],
): ItemRow {
  if (!ctx.journal.advanceItem(item.id, patch)) {
    // Canceled (or finished elsewhere) meanwhile: stop without touching the item again.
    throw new DOMException('the item was canceled', 'AbortError');
  }
  return { ...item, ...patch };
}

async function register(ctx: StepContext, item: ItemRow): Promise<ItemRow> {
  const name = item.assetName ?? assetNameFor(ctx.journal.journalId, item.id, item.path);
  if (item.state === 'registering') {
    // A previous attempt sent the POST and did not see its answer: the asset may exist.
    const found = await findAssetByName(ctx, name);
    if (found) return advance(ctx, item, { state: 'registered', assetId: found.id, assetName: name });
  }
  const registering = advance(ctx, item, { state: 'registering', assetName: name });
  const kind = item.mediaKind ?? 'image';
  let asset: Asset;
  try {
    asset = await ctx.api.run(() =>
      ctx.client.createAsset({
        name,
        fileName: basename(item.path),
        type: ASSET_TYPE_FOR_KIND[kind],
        source: 'file',
        ...(item.md5 ? { tenantReference: item.md5 } : {}),
        ...(kind === 'video' && item.fps && item.frameCount !== null
          ? { fps: item.fps, frameCount: item.frameCount }
          : {}),
      }),
    );
  } catch (error) {
    if (error instanceof OutcomeUnknownError) {
      const found = await findAssetByName(ctx, name);
      if (found) return advance(ctx, registering, { state: 'registered', assetId: found.id });
    }
    throw error;
  }
  return advance(ctx, registering, { state: 'registered', assetId: asset.id });
}

async function transfer(ctx: StepContext, item: ItemRow, signal: AbortSignal): Promise<ItemRow> {
  const assetId = item.assetId;
  if (!assetId) throw new ItemFailure('the journal lost the asset id');
  let current = item;
  for (let renewal = 0; ; renewal++) {
    let url = reusableUrl(ctx, current);
    if (!url) {
      const session = await ctx.api.run(() => ctx.client.openUploadSession(assetId));
      url = session.url;
      current = advance(ctx, current, {
        state: 'uploading',
        sessionUrl: ctx.vault.seal(url),
        sessionOpenedAt: ctx.now(),
      });
    } else if (current.state !== 'uploading') {
      current = advance(ctx, current, { state: 'uploading' });
    }
    try {
      const etag = await put(ctx, current, url, signal);
      return advance(ctx, current, { state: 'uploaded', etag, sessionUrl: null, sessionOpenedAt: null });
    } catch (error) {
      if (!(error instanceof SignedUrlExpiredError)) throw error;
      current = advance(ctx, current, { sessionUrl: null, sessionOpenedAt: null });
      if (renewal + 1 >= MAX_SESSION_RENEWALS) throw error;
    }
  }
}

function reusableUrl(ctx: StepContext, item: ItemRow): string | null {
  if (!item.sessionUrl || item.sessionOpenedAt === null) return null;
  if (ctx.now() - item.sessionOpenedAt > ctx.signedUrlReuseMs) return null;
  return ctx.vault.open(item.sessionUrl);
}

async function put(ctx: StepContext, item: ItemRow, url: string, signal: AbortSignal): Promise<string> {
  return ctx.puts.run(async () => {
    signal.throwIfAborted();
    // The storage takes a single PUT: every attempt starts again from byte 0.
    const { body, result, release } = openTransfer(item.path, item.size, ctx.bucket, signal);
    ctx.progress.start(item.id, item.size);
    let etag: string;
    try {
      ({ etag } = await ctx.client.putSignedUrl(url, body, {
        size: item.size,
        signal,
        onProgress: (bytes) => ctx.progress.update(item.id, bytes),
        ...(release ? { onChunkSent: release } : {}),
      }));
    } finally {
      ctx.progress.end(item.id);
      if (!body.destroyed) body.destroy();
    }
    const { bytes, md5 } = await result();
    if (bytes !== item.size) {
      throw new ItemFailure('changed while uploading (its size differs from when it was queued)');
    }
    if (item.md5 && md5 !== item.md5)
      throw new ItemFailure('changed since it was queued (its content differs)');
    if (etag.toLowerCase() !== md5) {
      throw new ItemFailure(
        `integrity check failed: the storage ETag ${etag} is not the file's MD5 ${md5}`,
        true,
      );
    }
    return etag;
  });
}

async function close(ctx: StepContext, item: ItemRow): Promise<void> {
  const assetId = item.assetId;
  if (!assetId) throw new ItemFailure('the journal lost the asset id');
  await ctx.api.run(() => ctx.client.closeUploadSession(assetId));
  advance(ctx, item, { state: 'closed' });
}

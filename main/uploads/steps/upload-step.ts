/**
 * The network part of one file: register the asset (looking it up by its stable name first when a previous
 * attempt may have created it), open an upload session (or use a still-valid sealed one again), stream the PUT
 * with the MD5 computed on the way and checked against the storage ETag, and close the session. Each step's intent
 * is in the journal before its request goes out; its outcome right after.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ASSET_TYPE_FOR_KIND } from '../../../common/alegion.ts';
import type { Asset } from '../../../common/alegion.ts';
import { OutcomeUnknownError, SignedUrlExpiredError, StorageRefusedError } from '../../alegion/errors.ts';
import { BodyLengthChangedError } from '../../alegion/signed-url.ts';
import { refusalWords } from '../../alegion/storage-refusal.ts';
import { assetNameFor } from '../asset-identity.ts';
import { ItemFailure } from '../queue/failures.ts';
import { fileChange } from './probe-step.ts';
import { openTransfer } from './transfer-stream.ts';
import { readWholeFile, readsWhole } from './whole-file.ts';
import type { ItemPatch, ItemRow } from '../journal/item-types.ts';
import type { StepContext } from './step-context.ts';
import { advanceItemDurably } from '../journal/items.ts';

/** The reason of a file that changed while its bytes were being sent (what to do included). */
const CHANGED_WHILE_UPLOADING = 'changed while uploading';
const ADD_IT_AGAIN = 'add it again to upload the new version';
const CONTENT_DIFFERS = `changed since it was queued (its content differs); ${ADD_IT_AGAIN}`;

/** The asset with exactly this name, if the platform has one. */
async function findAssetByName(ctx: StepContext, name: string): Promise<Asset | undefined> {
  return ctx.api.run(async () => {
    for await (const asset of ctx.client.listAssets({ name, pageSize: 100 })) {
      if (asset.name === name) return asset;
    }
    return undefined;
  });
}

/**
 * Takes a file from `probed` (or any later upload state) to `closed`, and resolves with that state. Throws on
 * failure; the caller classifies.
 */
export async function uploadItem(ctx: StepContext, item: ItemRow, signal: AbortSignal): Promise<'closed'> {
  const changed = await fileChange(item);
  if (changed) throw new ItemFailure(changed);
  let current = item;
  let unsaved: ItemPatch | undefined;
  if (current.state === 'probed' || current.state === 'registering')
    ({ item: current, unsaved } = await register(ctx, current));
  if (signal.aborted && unsaved) await advance(ctx, current, unsaved);
  signal.throwIfAborted();
  if (current.state === 'registered' || current.state === 'uploading')
    current = await transfer(ctx, current, signal, unsaved);
  signal.throwIfAborted();
  if (current.state === 'uploaded') await close(ctx, current);
  return 'closed';
}

/** A small file read whole before its transfer: its bytes and their MD5 (computed only when needed). */
interface InMemoryFile {
  bytes: Buffer;
  md5(): string;
  /** Gives the bytes' memory back for the next read (see whole-file.ts). */
  release(): void;
}

/**
 * Reads a small file whole (see whole-file.ts) just before its PUT: that read is its last change check (size and
 * modification time), and its bytes are what is sent.
 */
async function readSmallFile(item: ItemRow): Promise<InMemoryFile> {
  const read = await readWholeFile(item);
  if ('problem' in read) throw new ItemFailure(read.problem);
  return read;
}

/** Writes the item's next state (an intent or an outcome) and returns once it is durable. */
async function advance(ctx: StepContext, item: ItemRow, patch: ItemPatch): Promise<ItemRow> {
  if (!(await advanceItemDurably(ctx.journal, item.id, patch))) {
    // Canceled (or finished elsewhere) meanwhile: stop without touching the item again.
    throw new DOMException('the item was canceled', 'AbortError');
  }
  return { ...item, ...patch };
}

/**
 * Registers the asset. The outcome of a fresh POST is not written on its own: it goes into the next write (the
 * upload session's), as `unsaved`. Nothing is sent on its strength that needs an intent (opening a session twice is
 * harmless), and a crash before that write leaves the item `registering`, which finds the asset by its name, as a
 * crash between the POST and its own write did; a file's journal writes went from six to five.
 */
async function register(ctx: StepContext, item: ItemRow): Promise<{ item: ItemRow; unsaved?: ItemPatch }> {
  const name = item.assetName ?? assetNameFor(ctx.journal.journalId, item.id, item.path);
  if (item.state === 'registering') {
    // A previous attempt sent the POST and did not see its answer: the asset may exist.
    const found = await findAssetByName(ctx, name);
    if (found)
      return { item: await advance(ctx, item, { state: 'registered', assetId: found.id, assetName: name }) };
  }
  const registering = await advance(ctx, item, { state: 'registering', assetName: name });
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
      if (found) return { item: await advance(ctx, registering, { state: 'registered', assetId: found.id }) };
    }
    throw error;
  }
  const unsaved: ItemPatch = { state: 'registered', assetId: asset.id };
  return { item: { ...registering, ...unsaved }, unsaved };
}

/**
 * Opens a session (or uses a sealed one again) and PUTs the file. A link the storage calls expired gets one fresh
 * session; a fresh link refused in the same way would be refused forever (a skewed clock, a signing fault), so the
 * item then fails at once with the storage's words instead of opening session after session.
 */
async function transfer(
  ctx: StepContext,
  item: ItemRow,
  signal: AbortSignal,
  unsaved?: ItemPatch,
): Promise<ItemRow> {
  const assetId = item.assetId;
  if (!assetId) throw new ItemFailure('the journal lost the asset id');
  let current = item;
  for (let renewed = false; ; renewed = true) {
    let url = reusableUrl(ctx, current);
    if (!url) {
      let session;
      try {
        session = await ctx.api.run(() => ctx.client.openUploadSession(assetId));
      } catch (error) {
        // The asset id is kept for the next attempt, which then needs no lookup by name.
        if (unsaved) await advance(ctx, current, unsaved);
        throw error;
      }
      url = session.url;
      current = await advance(ctx, current, {
        ...unsaved,
        state: 'uploading',
        sessionUrl: ctx.vault.seal(url),
        sessionOpenedAt: ctx.now(),
      });
      unsaved = undefined;
    } else if (current.state !== 'uploading') {
      current = await advance(ctx, current, { ...unsaved, state: 'uploading' });
      unsaved = undefined;
    }
    try {
      // Under a bandwidth limit the file is streamed, so the limit paces it chunk by chunk.
      const etag =
        readsWhole(current.size) && ctx.bucket.bytesPerSecond === 0
          ? await putInMemory(ctx, current, url, signal)
          : await put(ctx, current, url, signal);
      return advance(ctx, current, { state: 'uploaded', etag, sessionUrl: null, sessionOpenedAt: null });
    } catch (error) {
      if (!(error instanceof SignedUrlExpiredError)) throw error;
      current = await advance(ctx, current, { sessionUrl: null, sessionOpenedAt: null });
      if (renewed) {
        throw new StorageRefusedError(
          'a freshly issued upload link',
          refusalWords(error.storage),
          error.storage,
        );
      }
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
    } catch (error) {
      // The PUT stopped at the size queued rather than send a different file under the same name.
      if (error instanceof BodyLengthChangedError) {
        throw new ItemFailure(`${CHANGED_WHILE_UPLOADING} (${error.message}); ${ADD_IT_AGAIN}`);
      }
      throw error;
    } finally {
      ctx.progress.end(item.id);
      if (!body.destroyed) body.destroy();
    }
    const { bytes, md5 } = await result();
    if (bytes !== item.size) {
      throw new ItemFailure(
        `${CHANGED_WHILE_UPLOADING} (its size differs from when it was queued); ${ADD_IT_AGAIN}`,
      );
    }
    // Rewritten in place at the same size: the bytes sent may mix both versions, whatever the ETag says.
    const after = await stat(item.path).catch(() => undefined);
    if (after && (after.size !== item.size || after.mtimeMs !== item.mtimeMs)) {
      throw new ItemFailure(
        `${CHANGED_WHILE_UPLOADING} (its modification time or size differs from when it was queued); ${ADD_IT_AGAIN}`,
      );
    }
    if (item.md5 && md5 !== item.md5) throw new ItemFailure(CONTENT_DIFFERS);
    checkEtag(etag, md5);
    return etag;
  });
}

/**
 * PUTs a small file's bytes read before (its size and modification time checked) and checks the ETag against the
 * MD5 intake recorded: equal, the storage holds the content intake hashed, so the bytes need no hashing again.
 * Only when they differ are the bytes hashed, to tell a file rewritten in place from a corrupted transfer.
 */
async function putInMemory(
  ctx: StepContext,
  item: ItemRow,
  url: string,
  signal: AbortSignal,
): Promise<string> {
  return ctx.puts.run(async () => {
    signal.throwIfAborted();
    // Read in the PUT's own turn: the bytes sent are the file as it is now (a file deleted or changed since it was
    // queued fails here), and only the files being sent are held in memory.
    const file = await readSmallFile(item);
    ctx.progress.start(item.id, item.size);
    let etag: string;
    try {
      ({ etag } = await ctx.client.putSignedUrl(url, file.bytes, {
        size: item.size,
        signal,
        onProgress: (bytes) => ctx.progress.update(item.id, bytes),
      }));
    } finally {
      ctx.progress.end(item.id);
    }
    if (item.md5 === null || etag.toLowerCase() !== item.md5) {
      const md5 = file.md5();
      if (item.md5 !== null && md5 !== item.md5) throw new ItemFailure(CONTENT_DIFFERS);
      checkEtag(etag, md5);
    }
    // The PUT was answered and its ETag checked: nothing reads those bytes any more.
    file.release();
    return etag;
  });
}

/** The storage's ETag of a single PUT is the MD5 of the bytes it stored: anything else is a corrupted transfer. */
function checkEtag(etag: string, md5: string): void {
  if (etag.toLowerCase() !== md5) {
    throw new ItemFailure(
      `integrity check failed: the storage ETag ${etag} is not the file's MD5 ${md5}`,
      true,
    );
  }
}

async function close(ctx: StepContext, item: ItemRow): Promise<void> {
  const assetId = item.assetId;
  if (!assetId) throw new ItemFailure('the journal lost the asset id');
  await ctx.api.run(() => ctx.client.closeUploadSession(assetId));
  await advance(ctx, item, { state: 'closed' });
}

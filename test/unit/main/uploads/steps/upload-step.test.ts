/**
 * The upload step over a client that stands in for the platform at its interface (never at the HTTP level): each
 * call notes what the journal had committed when the request would have gone out, and its storage answers the
 * MD5 of the bytes it was given as the ETag, as the sandbox and S3 do.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useTempJournal } from '../../../../support/temp-journal.ts';
import { RecordLimits } from '../../../../../main/uploads/record-limit.ts';
import { ContentDedupe } from '../../../../../main/uploads/intake/content-dedupe.ts';
import { Limiter, TokenBucket } from '../../../../../main/uploads/queue/limits.ts';
import { linkVaultWithKey } from '../../../../../main/uploads/journal/link-vault.ts';
import { ProgressTracker } from '../../../../../main/uploads/queue/progress.ts';
import { probeItem } from '../../../../../main/uploads/steps/probe-step.ts';
import { uploadItem } from '../../../../../main/uploads/steps/upload-step.ts';
import { pooledReadBytes } from '../../../../../main/hashing/read-buffers.ts';
import { ItemFailure } from '../../../../../main/uploads/queue/failures.ts';
import type { StepContext } from '../../../../../main/uploads/steps/step-context.ts';
import type { AlegionClient } from '../../../../../main/alegion/types.ts';
import { getItem, insertFiles, nextItems } from '../../../../../main/uploads/journal/items.ts';
import { ensureTarget, getTarget, openRun } from '../../../../../main/uploads/journal/targets.ts';

const JPEG = join(import.meta.dirname, '../../../../fixtures/media/image-16x12.jpg');

/** Bytes of a readable body, or the buffer itself. */
async function bytesOf(body: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('upload step', () => {
  const temp = useTempJournal('upload-step-');

  /** A platform stand-in that notes, at each call, the item's committed state and whether writes still wait. */
  function platform(itemId: () => number) {
    const calls: { call: string; state: string | undefined; waiting: number; inTransaction: boolean }[] = [];
    const stored: Buffer[] = [];
    const note = (call: string): void => {
      calls.push({
        call,
        state: getItem(temp.journal, itemId())?.state,
        waiting: temp.journal.grouped.waiting,
        inTransaction: temp.journal.db.isTransaction,
      });
    };
    const client = {
      baseUrl: 'http://platform.invalid/v1',
      createAsset: async () => {
        note('createAsset');
        return { id: 'asset-1', status: 'new', type: 'image', createdAt: new Date().toISOString() };
      },
      openUploadSession: async () => {
        note('openUploadSession');
        return { url: 'http://storage.invalid/put?sig=secret' };
      },
      putSignedUrl: async (_url: string, body: Readable | Buffer) => {
        note('putSignedUrl');
        // A copy, as a server keeps: the body's memory goes back to the read buffers once the PUT is answered.
        const bytes = Buffer.from(await bytesOf(body));
        stored.push(bytes);
        return { etag: createHash('md5').update(bytes).digest('hex') };
      },
      closeUploadSession: async () => {
        note('closeUploadSession');
      },
    } as unknown as AlegionClient;
    return { client, calls, stored };
  }

  function context(client: AlegionClient): StepContext {
    return {
      journal: temp.journal,
      client,
      api: new Limiter(4),
      puts: new Limiter(4),
      bucket: new TokenBucket(0),
      vault: linkVaultWithKey(Buffer.alloc(32)),
      progress: new ProgressTracker(),
      now: Date.now,
      maxFileBytes: 0,
      signedUrlReuseMs: 60_000,
      recordLimits: new RecordLimits(temp.journal),
      contentDedupe: new ContentDedupe(temp.journal),
    };
  }

  async function probed(ctx: StepContext, path: string) {
    const stats = statSync(path);
    const target = ensureTarget(temp.journal, 'wf', { batchId: 'b' });
    const run = openRun(temp.journal, 'r');
    insertFiles(
      temp.journal,
      run.id,
      target,
      [{ path, name: 'f.jpg', size: stats.size, mtimeMs: stats.mtimeMs }],
      false,
    );
    const queued = nextItems(temp.journal, 'file', ['queued'], 1, new Set())[0]!;
    await probeItem(ctx, queued, getTarget(temp.journal, target.id));
    return getItem(temp.journal, queued.id)!;
  }

  function smallImage(name: string): string {
    const path = join(temp.dir, name);
    const padded = Buffer.concat([readFileSync(JPEG), Buffer.alloc(70_000, 7)]);
    writeFileSync(path, padded);
    return path;
  }

  it('sends each request only once its intent is committed, and PUTs a small file’s exact bytes', async () => {
    let id = 0;
    const { client, calls, stored } = platform(() => id);
    const ctx = context(client);
    const path = smallImage('a.jpg');
    const item = await probed(ctx, path);
    id = item.id;
    await uploadItem(ctx, item, new AbortController().signal);
    expect(calls).toEqual([
      { call: 'createAsset', state: 'registering', waiting: 0, inTransaction: false },
      { call: 'openUploadSession', state: 'registering', waiting: 0, inTransaction: false },
      { call: 'putSignedUrl', state: 'uploading', waiting: 0, inTransaction: false },
      { call: 'closeUploadSession', state: 'uploaded', waiting: 0, inTransaction: false },
    ]);
    expect(getItem(temp.journal, id)?.state).toBe('closed');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.equals(readFileSync(path))).toBe(true);
  });

  it('keeps the asset id when no session could be opened, so the next attempt registers nothing again', async () => {
    let id = 0;
    const { client, calls } = platform(() => id);
    let refuse = true;
    const openUploadSession = client.openUploadSession.bind(client);
    client.openUploadSession = async (assetId: string) => {
      if (refuse) throw new Error('HTTP 503 from the platform');
      return openUploadSession(assetId);
    };
    const ctx = context(client);
    const item = await probed(ctx, smallImage('c.jpg'));
    id = item.id;
    await expect(uploadItem(ctx, item, new AbortController().signal)).rejects.toThrow('HTTP 503');
    const afterFailure = getItem(temp.journal, id)!;
    expect(afterFailure).toMatchObject({ state: 'registered', assetId: 'asset-1' });
    refuse = false;
    await uploadItem(ctx, afterFailure, new AbortController().signal);
    expect(calls.filter((c) => c.call === 'createAsset')).toHaveLength(1);
    expect(getItem(temp.journal, id)).toMatchObject({ state: 'closed', assetId: 'asset-1' });
  });

  it('sends each small file its own bytes while the read buffers go from file to file', async () => {
    let id = 0;
    const { client, stored } = platform(() => id);
    const ctx = context(client);
    const paths = [70_000, 50_000, 69_000].map((padding, n) => {
      const path = join(temp.dir, `pooled-${n}.jpg`);
      writeFileSync(path, Buffer.concat([readFileSync(JPEG), Buffer.alloc(padding, n + 1)]));
      return path;
    });
    for (const path of paths) {
      const item = await probed(ctx, path);
      id = item.id;
      await uploadItem(ctx, item, new AbortController().signal);
      expect(getItem(temp.journal, id)?.state).toBe('closed');
    }
    expect(stored.map((bytes) => bytes.length)).toEqual(paths.map((path) => statSync(path).size));
    paths.forEach((path, n) => expect(stored[n]?.equals(readFileSync(path))).toBe(true));
    expect(pooledReadBytes()).toBeGreaterThan(0);
  });

  it('fails a small file deleted since it was queued before any request is sent', async () => {
    let id = 0;
    const { client, calls } = platform(() => id);
    const ctx = context(client);
    const path = smallImage('e.jpg');
    const item = await probed(ctx, path);
    id = item.id;
    rmSync(path);
    const failure = await uploadItem(ctx, item, new AbortController().signal).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ItemFailure);
    expect((failure as Error).message).toMatch(/not found|no longer there|vanished|deleted/i);
    expect(calls).toEqual([]);
    expect(getItem(temp.journal, id)?.state).toBe('probed');
  });

  it('fails a small file rewritten in place (same size and time) as changed, and never closes its session', async () => {
    let id = 0;
    const { client, calls } = platform(() => id);
    const ctx = context(client);
    const path = smallImage('b.jpg');
    // A whole second, so that the time set again after the rewrite is exactly the one queued.
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const item = await probed(ctx, path);
    id = item.id;
    const rewritten = readFileSync(path);
    rewritten[rewritten.length - 1] = 1;
    writeFileSync(path, rewritten);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const failure = await uploadItem(ctx, item, new AbortController().signal).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ItemFailure);
    expect((failure as Error).message).toBe(
      'changed since it was queued (its content differs); add it again to upload the new version',
    );
    expect(calls.map((c) => c.call)).not.toContain('closeUploadSession');
    expect(getItem(temp.journal, id)?.state).toBe('uploading');
  });
});

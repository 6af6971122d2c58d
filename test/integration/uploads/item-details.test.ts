/**
 * "What happened to this file", through the engine against the sandbox: every PUT of a file is cut
 * (`POST /__sandbox/faults`), so it fails after its attempts; its details list each attempt with its step and
 * reason, never a secret; after a retry that succeeds the history is kept and the asset is known. The method's
 * arguments are validated, and an id no longer in the queue gets a clear message.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemDetails, QueueItemView } from '../../../common/api.ts';
import { createEngine } from '../../../main/engine/create-engine.ts';
import type { Engine } from '../../../main/engine/create-engine.ts';
import { dispatch } from '../../../main/engine/dispatch.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { testEnginePorts } from '../../support/engine-ports.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { writeImages } from './helpers.ts';
import { until } from '../../support/until.ts';

const MEDIA = join(import.meta.dirname, '../../fixtures/media');
const API_KEY = 'details-key-5c1e8f0a2b7d';
const PASSWORD = 'details-password-w9x8y7';
const ATTEMPTS = 3;
const sandbox = useSandbox({
  apiKey: API_KEY,
  username: 'ops',
  password: PASSWORD,
  labelers: false,
  seed: 4,
});

let dir: string;
let engine: Engine;

async function postFaults(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox().origin}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

async function queueFolder(
  folder: string,
  batch: string,
  workflowId: string = SANDBOX_WORKFLOWS.image,
): Promise<void> {
  const scan = await engine.scanPaths({ paths: [folder], workflowId });
  await engine.queueScan({
    scanId: scan.scanId,
    target: { workflowId, newBatch: { name: batch, isEnabled: false } },
  });
}

async function itemAt(path: string): Promise<QueueItemView> {
  const page = await engine.listQueue({ search: path });
  const item = page.items.find((i) => i.path === path);
  if (!item) throw new Error(`${path} is not in the queue`);
  return item;
}

/** Calls the method as a host does (arguments validated, errors as payloads). */
async function detailsOf(args: unknown): Promise<ItemDetails> {
  const envelope = await dispatch(engine, 'getItemDetails', [args], () => engine.knownSecrets());
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as ItemDetails;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-item-details-'));
  engine = await createEngine(
    testEnginePorts(dir, {
      runner: { maxAttempts: ATTEMPTS, retryBaseMs: 50, retryMaxMs: 200, lingerMs: 100 },
    }),
  );
  const profile = await engine.saveProfile({
    name: 'Sandbox for details',
    apiUrl: sandbox().baseUrl,
    username: 'ops',
    apiKey: API_KEY,
    password: PASSWORD,
  });
  const state = await engine.connect(profile.id);
  expect(state.status).toBe('connected');
});

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('item details', () => {
  it('a file whose every PUT is cut fails; its details list each attempt with its step and reason, then survive a successful retry', async () => {
    await postFaults({ putCutRate: 1, putCutAfterBytes: 4096 });
    const folder = join(dir, 'cut');
    writeImages(folder, 1, 64 * 1024);
    await queueFolder(folder, 'Cut uploads');
    const path = join(folder, 'img-00000.png');
    const failed = await until(
      () => itemAt(path),
      (item) => item.state === 'failed',
      'the file to fail',
    );

    const details = await detailsOf({ id: failed.id });
    expect(details.item).toMatchObject({
      id: failed.id,
      name: 'img-00000.png',
      kind: 'image',
      size: 64 * 1024,
    });
    expect(details.item.path).toBe(path);
    expect(details.item.error).toContain(`gave up after ${ATTEMPTS} attempts`);
    expect(details.workflowName).toBe('Sandbox image boxes');
    expect(details.batchName).toBe('Cut uploads');
    expect(Date.parse(details.queuedAt)).not.toBeNaN();
    expect(details.historyTotal).toBe(ATTEMPTS);
    expect(details.history.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
    expect(details.history.map((entry) => entry.step)).toEqual(['uploading', 'uploading', 'uploading']);
    const times = details.history.map((entry) => Date.parse(entry.at));
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
    for (const entry of details.history) {
      expect(entry.message.length).toBeGreaterThan(0);
      // The last attempt's reason is the item's reason, before the "gave up" note.
      expect(details.item.error).toContain(details.history.at(-1)?.message);
    }
    console.log(
      `history: ${details.history.map((e) => `#${e.attempt} ${e.step}: ${e.message}`).join(' | ')}`,
    );
    const text = JSON.stringify(details);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(PASSWORD);
    expect(text, 'no signed URL query string').not.toMatch(/https?:\/\/[^\s"]*\?[^\s"…]/);
    expect(text).not.toMatch(/X-Amz-|Signature=|access_token|Bearer /i);

    await postFaults({ putCutRate: 0 });
    await engine.retryItems({ ids: [failed.id] });
    await until(
      () => itemAt(path),
      (item) => item.state === 'done',
      'the retried file to be done',
    );
    const after = await detailsOf({ id: failed.id });
    expect(after.item.state).toBe('done');
    expect(after.item.error).toBeNull();
    expect(after.item.assetId).toMatch(/^[0-9a-f-]{36}$/);
    expect(after.item.bytesSent).toBe(64 * 1024);
    expect(after.history).toEqual(details.history);
  });

  it('a file that went through at once has an empty history', async () => {
    const folder = join(dir, 'clean');
    writeImages(folder, 1, 4096);
    await queueFolder(folder, 'Clean uploads');
    const done = await until(
      () => itemAt(join(folder, 'img-00000.png')),
      (item) => item.state === 'done',
      'the clean file to be done',
    );
    const details = await detailsOf({ id: done.id });
    expect(details.item.state).toBe('done');
    expect(details.history).toEqual([]);
    expect(details.historyTotal).toBe(0);
    expect(details.batchName).toBe('Clean uploads');
    // Its labeling, from the records the batch lists: queued (these labelers do not work), with its record.
    expect(details.labeling).toMatchObject({ status: 'queued', recordId: done.recordId });
    // The record gone from the batch: the details say the batch lists none, instead of all being well.
    const gone = await fetch(`${sandbox().origin}/__sandbox/records/${done.recordId}`, {
      method: 'DELETE',
      headers: { 'x-api-key': API_KEY },
    });
    expect(gone.status).toBe(204);
    expect((await detailsOf({ id: done.id })).labeling?.status).toBe('not-found');
  });

  it('a video shows the frame rate and frame count it was registered with, a variable rate as its average', async () => {
    const folder = join(dir, 'videos');
    await mkdir(folder);
    await copyFile(join(MEDIA, 'h264-vfr-40frames.mkv'), join(folder, 'vfr.mkv'));
    await copyFile(join(MEDIA, 'h264-29.97fps-45frames.mp4'), join(folder, 'ntsc.mp4'));
    await queueFolder(folder, 'Videos', SANDBOX_WORKFLOWS.video);
    const detailsWhenDone = async (name: string): Promise<ItemDetails> => {
      const done = await until(
        () => itemAt(join(folder, name)),
        (item) => item.state === 'done',
        `${name} to be done`,
      );
      return detailsOf({ id: done.id });
    };
    // The fixtures' facts (test/fixtures/media/README.md, from ffprobe): 40 frames at timestamps 0 to 1800 ms;
    // 45 frames at 30000/1001.
    const vfr = await detailsWhenDone('vfr.mkv');
    expect(vfr.video).toMatchObject({ frameCount: 40, variable: true });
    expect(vfr.video?.fps).toBeCloseTo(39 / 1.8, 12);
    const ntsc = await detailsWhenDone('ntsc.mp4');
    expect(ntsc.video).toEqual({ fps: 30000 / 1001, frameCount: 45, variable: false });
    const image = await detailsOf({ id: (await itemAt(join(dir, 'clean', 'img-00000.png'))).id });
    expect(image.video).toBeNull();
  });

  it('refuses a malformed id with a one-line reason, and an unknown id with "no longer in the queue"', async () => {
    for (const args of [{ id: 0 }, { id: -3 }, { id: 1.5 }, { id: '12' }, {}, null]) {
      const envelope = await dispatch(engine, 'getItemDetails', [args]);
      expect(envelope.ok).toBe(false);
      if (!envelope.ok) {
        expect(envelope.error.code).toBe('invalid-arguments');
        expect(envelope.error.message).toMatch(/^getItemDetails: invalid arguments/);
        expect(envelope.error.message).not.toContain('\n');
      }
    }
    const gone = await dispatch(engine, 'getItemDetails', [{ id: 987_654 }]);
    expect(gone).toEqual({
      ok: false,
      error: {
        code: 'item-not-found',
        message: 'That file is no longer in the queue: it may have been removed, or the queue was cleared.',
      },
    });
  });
});

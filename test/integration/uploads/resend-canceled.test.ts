/**
 * "Re-send canceled files", through the engine against the sandbox. The sandbox's labelers cancel some of a
 * batch's records; one record is imported from elsewhere (no file of this app's behind it) and canceled too, and one
 * canceled file is deleted from disk. The re-send queues exactly the other canceled records' files into the new
 * batch (never a file whose record was not canceled), reports the deleted file and the foreign record with their
 * reasons, and run again it queues nothing: the new batch holds one record per file.
 */
import { rm, mkdtemp, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueItemView, RecordView, ResendCanceledResult } from '../../../common/api.ts';
import { createAlegionClient } from '../../../main/alegion/client.ts';
import type { ClosableAlegionClient } from '../../../main/alegion/client.ts';
import { createEngine } from '../../../main/engine/create-engine.ts';
import type { Engine } from '../../../main/engine/create-engine.ts';
import { dispatch } from '../../../main/engine/dispatch.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { testEnginePorts } from '../../support/engine-ports.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { until } from '../../support/until.ts';
import { writeImages } from './helpers.ts';

const sandbox = useSandbox({
  labelers: true,
  taskSeconds: 0,
  exceptionRate: 0.2,
  cancelRate: 0.5,
  seed: 5,
});
const WORKFLOW = SANDBOX_WORKFLOWS.image;
const ALL_STATUSES = ['queued', 'in-progress', 'complete', 'exception', 'canceled', 'error'] as const;
const FINAL = ['complete', 'exception', 'canceled'];
const NEW_BATCH = 'Shelf — re-sent';

let dir: string;
let folder: string;
let engine: Engine;
let client: ClosableAlegionClient;

/** Calls a method as a host does: arguments validated, errors as payloads. */
async function resend(args: unknown): Promise<ResendCanceledResult> {
  const envelope = await dispatch(engine, 'resendCanceled', [args], () => engine.knownSecrets());
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as ResendCanceledResult;
}

/** Every record of a batch once each is final. */
const finalRecords = (batchId: string, count: number): Promise<RecordView[]> =>
  until(
    () => engine.listRecords({ batchId, statuses: [...ALL_STATUSES], limit: 500 }),
    (page) => page.total === count && page.items.every((r) => FINAL.includes(r.status)),
    `the ${count} records of the batch to be final`,
    900,
  ).then((page) => page.items);

/** The queue's items of the folder in one batch, once each is settled. */
const settledItems = (batchId: string | null, count: number): Promise<QueueItemView[]> =>
  until(
    async () =>
      (await engine.listQueue({ search: folder, limit: 500 })).items.filter(
        (item) => batchId === null || item.batchId === batchId,
      ),
    (items) => items.length === count && items.every((i) => ['done', 'failed', 'canceled'].includes(i.state)),
    `${count} files to settle`,
    900,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-resend-canceled-'));
  folder = join(dir, 'shelf');
  engine = await createEngine(testEnginePorts(dir));
  const sb = sandbox();
  const credentials = {
    apiKey: sb.options.apiKey,
    username: sb.options.username,
    password: sb.options.password,
  };
  client = createAlegionClient({ baseUrl: sb.baseUrl, ...credentials });
  const profile = await engine.saveProfile({ name: 'Sandbox', apiUrl: sb.baseUrl, ...credentials });
  expect((await engine.connect(profile.id)).status).toBe('connected');
});

afterAll(async () => {
  await engine?.close();
  client?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('re-sending the files of canceled records', () => {
  it('queues each canceled record’s file once into the new batch and reports what it could not', async () => {
    writeImages(folder, 10);
    const scan = await engine.scanPaths({ paths: [folder], workflowId: WORKFLOW });
    await engine.queueScan({
      scanId: scan.scanId,
      target: { workflowId: WORKFLOW, newBatch: { name: 'Shelf', isEnabled: true } },
    });
    const sent = await settledItems(null, 10);
    expect(sent.map((i) => i.state)).toEqual(Array(10).fill('done'));
    const batchId = sent[0]?.batchId as string;
    const records = await finalRecords(batchId, 10);

    // A record from elsewhere, canceled too: this app has no file for it.
    sandbox().setLabelers({ cancelRate: 1 });
    const [foreign] = await client.importRecords(batchId, [{ data: { text: 'typed elsewhere' } }]);
    const all = await finalRecords(batchId, 11);
    sandbox().setLabelers({ cancelRate: 0, exceptionRate: 0 });
    expect(all.find((r) => r.id === foreign?.id)?.status).toBe('canceled');

    const pathOf = new Map(sent.map((item) => [item.recordId, item.path]));
    const canceledPaths = records
      .filter((r) => r.status === 'canceled')
      .map((r) => pathOf.get(r.id) as string);
    expect(canceledPaths.length, 'the labelers cancel some records, not all').toBeGreaterThan(1);
    expect(canceledPaths.length).toBeLessThan(10);
    const [deleted, ...kept] = canceledPaths.sort() as [string, ...string[]];
    await unlink(deleted);

    const args = { workflowId: WORKFLOW, batchId, newBatchName: NEW_BATCH };
    const first = await resend(args);
    expect(first).toMatchObject({ batchName: NEW_BATCH, canceled: canceledPaths.length + 1 });
    expect(first.queued).toBe(kept.length);
    expect(first.alreadyQueued).toBe(0);
    const deletedRecord = sent.find((item) => item.path === deleted)?.recordId;
    expect(first.notQueued).toEqual(
      expect.arrayContaining([
        { recordId: deletedRecord, path: deleted, reason: 'the file is no longer on disk' },
        { recordId: foreign?.id, path: null, reason: 'this app has no file for the record' },
      ]),
    );
    expect(first.notQueued).toHaveLength(2);

    const resent = await until(
      async () =>
        (await engine.listQueue({ search: folder, limit: 500 })).items.filter(
          (item) => item.batchId !== batchId,
        ),
      (items) => items.length === kept.length && items.every((i) => i.state === 'done'),
      'the re-sent files to be done',
      900,
    );
    const newBatchId = resent[0]?.batchId as string;
    expect(new Set(resent.map((i) => i.batchId))).toEqual(new Set([newBatchId]));
    expect(resent.map((i) => i.path).sort()).toEqual(kept);
    const batches = await engine.listBatches(WORKFLOW);
    expect(batches.find((b) => b.id === newBatchId)?.name).toBe(NEW_BATCH);

    const newRecords = await finalRecords(newBatchId, kept.length);
    expect(newRecords.map((r) => r.fileName).sort()).toEqual(kept.map((p) => basename(p)));

    // The same action again: the files are in that batch already, so none is queued a second time.
    const again = await resend(args);
    expect(again.queued).toBe(0);
    expect(again.alreadyQueued).toBe(kept.length);
    expect(again.notQueued).toHaveLength(2);
    const queueAfter = await engine.listQueue({ search: folder, limit: 500 });
    expect(queueAfter.items.filter((i) => i.batchId === newBatchId)).toHaveLength(kept.length);
    expect(await client.listRecords(newBatchId).count()).toBe(kept.length);
  });

  it('refuses a blank batch name in plain words', async () => {
    await expect(
      resend({ workflowId: WORKFLOW, batchId: '00000000-0000-4000-8000-000000000000', newBatchName: '  ' }),
    ).rejects.toThrow(/newBatchName/i);
  });
});

/**
 * The batch view's history and manifest, through the engine against the sandbox. Two transfers feed one batch (one
 * sends every file; the other has a file canceled and the rest failed by cut PUTs), a third feeds another batch:
 * the history lists exactly the first two with their counts, cleared or not. The manifest saved as CSV (read back
 * by Python's csv module) and as JSONL (JSON.parse line by line) names every sent file with its asset and record
 * ids as the queue knows them and each record's status as the sandbox lists it, and is the CLI's `manifest` byte
 * for byte.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchTransferView, QueueItemView, SavedFile } from '../../../common/api.ts';
import { createEngine } from '../../../main/engine/create-engine.ts';
import type { Engine } from '../../../main/engine/create-engine.ts';
import { dispatch } from '../../../main/engine/dispatch.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { testEnginePorts } from '../../support/engine-ports.ts';
import { pythonMissing } from '../../support/python-records.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, sandboxEnv, writeImages } from './helpers.ts';
import { until } from '../../support/until.ts';

const API_KEY = 'manifest-key-7d2e9a1c4b';
const PASSWORD = 'manifest-password-q3r5t7';
const sandbox = useSandbox({
  apiKey: API_KEY,
  username: 'lead',
  password: PASSWORD,
  labelers: true,
  taskSeconds: 0,
  exceptionRate: 0.6,
  cancelRate: 0.5,
  seed: 11,
});
const WORKFLOW = SANDBOX_WORKFLOWS.image;

let dir: string;
let engine: Engine;
let batchId: string;
/** The files of the transfer that sent everything, as the queue listed them before "Clear finished". */
let sentFiles: QueueItemView[];
let profileId: string;

/** Calls a method as a host does: arguments validated, errors as payloads. */
async function call<T>(method: 'saveBatchManifest' | 'listBatchTransfers', args: unknown): Promise<T> {
  const envelope = await dispatch(engine, method, [args], () => engine.knownSecrets());
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as T;
}

async function queueFolder(folder: string, target: { batchId?: string; newBatch?: string }): Promise<void> {
  const scan = await engine.scanPaths({ paths: [folder], workflowId: WORKFLOW });
  await engine.queueScan({
    scanId: scan.scanId,
    target: {
      workflowId: WORKFLOW,
      ...(target.batchId ? { batchId: target.batchId } : {}),
      ...(target.newBatch ? { newBatch: { name: target.newBatch, isEnabled: true } } : {}),
    },
  });
}

async function itemsUnder(folder: string): Promise<QueueItemView[]> {
  const page = await engine.listQueue({ search: folder, limit: 500 });
  return page.items.filter((item) => dirname(item.path) === folder);
}

/** Saves the manifest of the batch as the batch view does. */
const saveManifest = (format: string, target = { batchId: '', batchName: 'Manifest shelf' }) =>
  call<SavedFile>('saveBatchManifest', {
    workflowId: WORKFLOW,
    batchId: target.batchId || batchId,
    batchName: target.batchName,
    format,
  });

const settledIn = (folder: string) =>
  until(
    () => itemsUnder(folder),
    (items) => items.length > 0 && items.every((i) => ['done', 'failed', 'canceled'].includes(i.state)),
    `the files of ${folder} to settle`,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-batch-manifest-'));
  engine = await createEngine(
    testEnginePorts(dir, { runner: { maxAttempts: 1, retryBaseMs: 50, retryMaxMs: 100, lingerMs: 100 } }),
  );
  const profile = await engine.saveProfile({
    name: 'Sandbox for manifests',
    apiUrl: sandbox().baseUrl,
    username: 'lead',
    apiKey: API_KEY,
    password: PASSWORD,
  });
  profileId = profile.id;
  expect((await engine.connect(profileId)).status).toBe('connected');
});

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a batch’s history', () => {
  it('lists the transfers that fed the batch, newest first, with files sent, failed and canceled', async () => {
    const sent = join(dir, 'shelf-a');
    writeImages(sent, 5);
    await queueFolder(sent, { newBatch: 'Manifest shelf' });
    const done = await settledIn(sent);
    expect(done.map((i) => i.state)).toEqual(Array(5).fill('done'));
    batchId = done[0]?.batchId as string;
    sentFiles = done.sort((a, b) => (a.path < b.path ? -1 : 1));

    // The second transfer waits paused: one file is canceled, the others fail on cut uploads.
    await engine.pauseItems({});
    const troubled = join(dir, 'shelf-b');
    writeImages(troubled, 3, 4096);
    await queueFolder(troubled, { batchId });
    const waiting = await until(
      () => itemsUnder(troubled),
      (items) => items.length === 3,
      'the second transfer to be queued',
    );
    await engine.cancelItems({ ids: [waiting[0]?.id as number] });
    sandbox().setFaults({ putCutRate: 1, putCutAfterBytes: 1024 });
    await engine.resumeItems({});
    await settledIn(troubled);
    sandbox().setFaults({ putCutRate: 0 });

    const elsewhere = join(dir, 'other-shelf');
    writeImages(elsewhere, 2);
    await queueFolder(elsewhere, { newBatch: 'Another shelf' });
    await settledIn(elsewhere);

    const history = await call<BatchTransferView[]>('listBatchTransfers', { batchId });
    expect(history.map((t) => t.label)).toEqual(['shelf-b', 'shelf-a']);
    const [second, first] = history as [BatchTransferView, BatchTransferView];
    expect(first.counts.files).toMatchObject({ total: 5, done: 5, failed: 0, canceled: 0 });
    expect(second.counts.files).toMatchObject({ total: 3, done: 0, failed: 2, canceled: 1 });
    for (const transfer of history) {
      expect(transfer.batchId).toBe(batchId);
      expect(transfer.kind).toBe('files');
      expect(Date.parse(transfer.lastChangedAt)).toBeGreaterThanOrEqual(Date.parse(transfer.startedAt));
    }
    expect(Date.parse(second.startedAt)).toBeGreaterThanOrEqual(Date.parse(first.lastChangedAt) - 1000);

    // "Clear finished" takes the first transfer out of the queue view, not out of the batch's history.
    await engine.clearFinished();
    expect((await engine.listTransfers({})).map((t) => t.label)).not.toContain('shelf-a');
    const after = await call<BatchTransferView[]>('listBatchTransfers', { batchId });
    expect(after.map((t) => t.label)).toEqual(['shelf-b', 'shelf-a']);
    await expect(call('listBatchTransfers', { batchId: 'not-a-uuid' })).rejects.toThrow(/not a valid id/);
  });
});

describe('a batch’s manifest', () => {
  it.skipIf(pythonMissing !== null)(
    'names every sent file with its asset, record and status, as CSV and JSONL, the same as the CLI’s',
    async () => {
      // Every record final, so the statuses read now are the ones the sandbox keeps.
      const records = await until(
        () =>
          engine.listRecords({
            batchId,
            statuses: ['queued', 'in-progress', 'complete', 'exception', 'canceled', 'error'],
            limit: 500,
          }),
        (page) =>
          page.total === 5 &&
          page.items.every((r) => ['complete', 'exception', 'canceled'].includes(r.status)),
        'every record of the batch to be final',
        900,
      );
      const statusOf = new Map(records.items.map((r) => [r.id, r.status]));
      expect(new Set(statusOf.values()).size, 'the labelers leave more than one status').toBeGreaterThan(1);
      const files = sentFiles;

      const csvFile = await saveManifest('csv');
      expect(csvFile.name).toBe('Manifest shelf manifest.csv');
      expect(csvFile.rows).toBe(5);
      expect(dirname(csvFile.path)).toBe(join(dir, 'downloads'));
      expect(engine.savedFile(csvFile.id)).toEqual({ path: csvFile.path, name: csvFile.name });
      const csvText = await readFile(csvFile.path, 'utf8');
      expect(csvText).not.toContain(API_KEY);
      const python = spawnSync(
        'python3',
        [
          '-c',
          'import csv,io,json,sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline="")))))',
        ],
        { input: csvText, encoding: 'utf8' },
      );
      expect(python.status, python.stderr).toBe(0);
      const rows = JSON.parse(python.stdout) as Record<string, string>[];
      expect(rows.map((r) => [r.path, r.assetId, r.recordId, r.status])).toEqual(
        files.map((f) => [f.path, f.assetId, f.recordId, statusOf.get(f.recordId as string)]),
      );
      expect(rows.map((r) => Number(r.size))).toEqual(files.map((f) => f.size));
      // The failed and canceled files of the second transfer were never sent: not in the manifest.
      expect(rows.some((r) => r.path?.includes('shelf-b'))).toBe(false);

      const jsonlFile = await saveManifest('jsonl');
      expect(jsonlFile.name).toBe('Manifest shelf manifest.jsonl');
      const jsonlText = await readFile(jsonlFile.path, 'utf8');
      expect(jsonlText.endsWith('\n')).toBe(true);
      const lines = jsonlText
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(
        lines.map((l) => ({ ...l, size: String(l.size), md5: l.md5 ?? '', assetName: l.assetName ?? '' })),
      ).toEqual(rows);

      // A second save keeps the first file and takes the next free name.
      const again = await saveManifest('csv');
      expect(again.name).toBe('Manifest shelf manifest (2).csv');
      expect(await readFile(again.path, 'utf8')).toBe(csvText);

      // The CLI's manifest of the same journal is the same text (the app lets go of its journal first: a running
      // queue holds it exclusively).
      await engine.disconnect();
      const cli = await runCli(
        ['manifest', '--workflow', WORKFLOW, '--batch', batchId, '--state-dir', join(dir, 'state')],
        sandboxEnv(sandbox()),
      );
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toBe(csvText);
      expect((await engine.connect(profileId)).status).toBe('connected');

      await expect(saveManifest('xml')).rejects.toThrow(/invalid/);
    },
  );

  it('of a batch this app sent nothing into is the header alone', async () => {
    const other = await engine.createBatch({ workflowId: WORKFLOW, name: 'Empty shelf', isEnabled: false });
    const file = await saveManifest('csv', { batchId: other.id, batchName: other.name });
    expect(file.rows).toBe(0);
    expect(await readFile(file.path, 'utf8')).toBe(
      'path,size,md5,assetId,assetName,recordId,uploadedAt,status\n',
    );
  });
});

if (pythonMissing) console.log(`skipping the manifest's CSV check: ${pythonMissing}`);

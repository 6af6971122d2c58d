/**
 * The add dialog's plan and options through the engine, against the sandbox: the plan a scan shows equals the
 * CLI's dry run of the same folder and what queuing it then does on the platform (assets, records, skipped files
 * by reason), with identical content uploaded once or not and with a record limit; and the record limit of an
 * add holds across a restart of the engine, until it is removed.
 */
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlegionEvents, QueueTotals, ScanPlanArgs, ScanSummary } from '../../../common/api.ts';
import { createEngine } from '../../../main/engine/create-engine.ts';
import type { Engine } from '../../../main/engine/create-engine.ts';
import { dispatch } from '../../../main/engine/dispatch.ts';
import type { SecretStorePort } from '../../../main/engine/ports.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { connectToSandbox, testEnginePorts } from '../../support/engine-ports.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, tempDir, writeImages } from '../uploads/helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 31 });
const WORKFLOW = SANDBOX_WORKFLOWS.image;

const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

/** An engine on `dir` (settings and secrets kept in `keep`, as the app keeps them across restarts), connected. */
async function connectedEngine(dir: string, keep: EngineKeep): Promise<Engine> {
  const engine = await createEngine(
    testEnginePorts(dir, {
      settings: keep.settings,
      secrets: keep.secrets,
      runner: { retryBaseMs: 50, retryMaxMs: 200, lingerMs: 100 },
    }),
  );
  engines.push(engine);
  const [saved] = await engine.listProfiles();
  if (saved) {
    // A restart: the app connects to the profile it was connected to by itself.
    await until(
      'the connection',
      () => engine.getConnection(),
      (c) => c.status === 'connected',
    );
  } else {
    expect(await connectToSandbox(engine, sandbox())).toBe('connected');
  }
  // The upload service starts just after the connection is made.
  await until(
    'the upload service',
    () => engine.getQueueTotals(),
    (t) => t.message !== 'not connected',
  );
  return engine;
}

interface EngineKeep {
  settings: Map<string, unknown>;
  secrets: SecretStorePort;
}

function keepAcrossRestarts(): EngineKeep {
  const values = new Map<string, string>();
  return {
    settings: new Map(),
    secrets: {
      persisted: true,
      reason: null,
      get: async (name) => values.get(name),
      set: async (name, value) => void values.set(name, value),
      delete: async (name) => void values.delete(name),
    },
  };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Scans `paths` and waits for the summary of the finished scan (walked and compared). */
async function scanned(engine: Engine, paths: string[]): Promise<ScanSummary> {
  const done = new Promise<AlegionEvents['scanProgress']>((resolve) => {
    const off = engine.events.on('scanProgress', (summary) => {
      if (summary.complete) {
        off();
        resolve(summary);
      }
    });
  });
  const started = await engine.scanPaths({ paths, workflowId: WORKFLOW });
  return started.complete ? started : done;
}

const settledTotals = (engine: Engine): Promise<QueueTotals> =>
  until(
    'the queue to settle',
    () => engine.getQueueTotals(),
    (t) => t.files.waiting + t.files.active === 0,
  );

/** 40 distinct images, 6 copies of some of them, 3 unsupported files, 2 documents and a hidden file. */
function makeTree(): string {
  const root = join(tempDir('app-plan-'), 'tree');
  const images = writeImages(join(root, 'images'), 40, 900);
  mkdirSync(join(root, 'copies'));
  for (let i = 0; i < 6; i++)
    copyFileSync(images[i * 5 + 4] as string, join(root, 'copies', `copy-${i}.png`));
  mkdirSync(join(root, 'other'));
  for (let i = 0; i < 3; i++) writeFileSync(join(root, 'other', `blob-${i}.bin`), Buffer.alloc(900, i + 1));
  for (let i = 0; i < 2; i++) writeFileSync(join(root, 'other', `doc-${i}.txt`), `document ${i}\n`);
  writeFileSync(join(root, 'other', '.hidden.png'), 'x');
  return root;
}

const byReason = (groups: { reason: string; files: number }[]): Record<string, number> =>
  Object.fromEntries(groups.map((g) => [g.reason, g.files]));

describe('the add dialog’s plan', () => {
  it.each([
    { skipDuplicateContent: true, maxRecords: undefined },
    { skipDuplicateContent: false, maxRecords: 25 },
  ])(
    'equals the dry run and what queuing then creates (%o)',
    async (options) => {
      const dir = tempDir('app-plan-engine-');
      const root = makeTree();
      const engine = await connectedEngine(dir, keepAcrossRestarts());
      // Two of the images were uploaded to the workflow before.
      const earlier = await scanned(engine, [
        join(root, 'images', 'img-00000.png'),
        join(root, 'images', 'img-00001.png'),
      ]);
      await engine.queueScan({
        scanId: earlier.scanId,
        target: { workflowId: WORKFLOW, newBatch: { name: 'earlier', isEnabled: false } },
      });
      await settledTotals(engine);

      const summary = await scanned(engine, [root]);
      expect(summary.compared.done).toBe(summary.compared.files);
      const target = {
        workflowId: WORKFLOW,
        newBatch: { name: `planned ${options.skipDuplicateContent}`, isEnabled: false },
      };
      const args: ScanPlanArgs = { scanId: summary.scanId, target, ...options };
      // Through the contract, as the dialog asks for it.
      const asked = await dispatch(engine, 'planScan', [args]);
      expect(asked.ok).toBe(true);
      const { plan, batch, identicalSets } = await engine.planScan(args);
      expect(batch).toEqual({ id: null, newName: target.newBatch.name });
      expect(identicalSets).toBe(6);
      expect(plan.identical.map((set) => set.files)).toEqual([2, 2, 2, 2, 2, 2]);

      // The CLI's dry run walks and inspects the same folder on its own, and counts the same. Its journal never
      // saw the earlier upload, so both are asked to send files seen before again.
      const { service, client } = serviceFor(sandbox(), tempDir('app-plan-dry-'));
      try {
        const again = await engine.planScan({ ...args, reupload: true });
        const dry = await service.planUpload([root], target, {
          reupload: true,
          skipDuplicateContent: options.skipDuplicateContent,
          maxRecords: options.maxRecords ?? null,
        });
        expect(again.plan.found).toEqual(dry.plan.found);
        expect(again.plan.toUpload).toEqual(dry.plan.toUpload);
        expect(again.plan.recordsToCreate).toBe(dry.plan.recordsToCreate);
        expect(byReason(again.plan.skipped)).toEqual(byReason(dry.plan.skipped));
        expect(again.plan.identical.map((set) => set.paths)).toEqual(
          dry.plan.identical.map((set) => set.paths),
        );
      } finally {
        await service.stop();
        client.close();
      }

      const before = sandbox().stats();
      await engine.queueScan(args);
      const totals = await settledTotals(engine);
      const after = sandbox().stats();
      // Within a limit, files past it are not even uploaded.
      expect(after.assets - before.assets).toBe(plan.recordsToCreate);
      expect(after.records - before.records).toBe(plan.recordsToCreate);
      expect(after.duplicateRecords).toBe(0);
      expect(after.duplicateAssets).toBe(0);
      expect(totals.files.paused).toBe(plan.toUpload.files - plan.recordsToCreate);
      // The files left out, by reason, as the queue lists them.
      const skipped = (await engine.listQueue({ groups: ['skipped'], limit: 500 })).items;
      const listed: Record<string, number> = {};
      for (const item of skipped) {
        const reason = item.error ?? '';
        const group = reason.startsWith('identical content')
          ? 'identical content'
          : reason.replace(/ \(.*\)$/, '');
        listed[group] = (listed[group] ?? 0) + 1;
      }
      expect(listed).toEqual(byReason(plan.skipped));
      expect(listed['already uploaded']).toBe(2);
      expect(listed['identical content'] ?? 0).toBe(options.skipDuplicateContent ? 6 : 0);
      // Every file of a reason is there to see (up to a hundred).
      for (const group of plan.skipped) expect(group.examples).toHaveLength(group.files);
    },
    120_000,
  );
});

describe('a record limit set in the add dialog', () => {
  it('never creates record N+1 of the add across a restart of the engine, and removing it sends the rest', async () => {
    const FILES = 30;
    const LIMIT = 12;
    const dir = tempDir('app-limit-');
    const keep = keepAcrossRestarts();
    const folder = join(dir, 'files');
    writeImages(folder, FILES, 1500);
    let engine = await connectedEngine(dir, keep);
    const summary = await scanned(engine, [folder]);
    const before = sandbox().stats();
    const added = () => sandbox().stats().records - before.records;
    // Through the contract, as the dialog sends it: a limit that is not a whole number of at least 1 is refused.
    for (const bad of [0, -3, 2.5]) {
      const refused = await dispatch(engine, 'queueScan', [
        {
          scanId: summary.scanId,
          target: { workflowId: WORKFLOW, newBatch: { name: 'limited', isEnabled: false } },
          maxRecords: bad,
        },
      ]);
      expect(refused.ok, `limit ${bad}`).toBe(false);
    }
    await engine.queueScan({
      scanId: summary.scanId,
      target: { workflowId: WORKFLOW, newBatch: { name: 'limited', isEnabled: false } },
      maxRecords: LIMIT,
    });
    // The engine stops while the add is under way (some records made, not all).
    await until(
      'the first records',
      async () => added(),
      (n) => n >= 3,
    );
    await engine.close();
    engines.splice(engines.indexOf(engine), 1);
    expect(added()).toBeLessThanOrEqual(LIMIT);

    engine = await connectedEngine(dir, keep);
    const totals = await settledTotals(engine);
    expect(added()).toBe(LIMIT);
    expect(totals.files.paused).toBe(FILES - LIMIT);
    const [transfer] = await engine.listTransfers({ history: false });
    expect(transfer?.recordLimit).toEqual({ maxRecords: LIMIT, held: FILES - LIMIT });
    // Resuming the held files does not pass the limit: they are held again.
    await engine.resumeItems({});
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await settledTotals(engine);
    expect(added()).toBe(LIMIT);

    // Raised, then removed: the rest goes into the same batch.
    await engine.setRecordLimit({ transferId: transfer!.id, maxRecords: LIMIT + 5 });
    await until(
      'the raised limit',
      async () => added(),
      (n) => n === LIMIT + 5,
    );
    await settledTotals(engine);
    expect(added()).toBe(LIMIT + 5);
    await engine.setRecordLimit({ transferId: transfer!.id, maxRecords: null });
    await until(
      'every record',
      async () => added(),
      (n) => n === FILES,
    );
    const after = sandbox().stats();
    expect(after.duplicateRecords).toBe(0);
    expect(after.duplicateAssets).toBe(0);
    // All of them in the one batch of the add.
    const done = (await engine.listQueue({ groups: ['done'], limit: 500 })).items;
    const batchIds = new Set(done.map((item) => item.batchId));
    expect(batchIds.size).toBe(1);
    const inBatch = after.recordsByBatch[[...batchIds][0] ?? ''] ?? {};
    expect(Object.values(inBatch).reduce((sum, n) => sum + n, 0)).toBe(FILES);
    expect((await engine.listTransfers({ history: false }))[0]?.recordLimit).toBeNull();
  }, 120_000);
});

describe('the MD5 a scan read', () => {
  it('is the one intake uses, not read again: a file rewritten at the same size and time since is caught', async () => {
    const dir = tempDir('app-md5-');
    const folder = join(dir, 'files');
    const paths = writeImages(folder, 3, 1200);
    // Whole seconds, so that the time can be put back exactly after the rewrite.
    for (const path of paths) utimesSync(path, 1_700_000_000, 1_700_000_000);
    const engine = await connectedEngine(dir, keepAcrossRestarts());
    const summary = await scanned(engine, [folder]);
    expect(summary.compared).toEqual({ files: 3, done: 3 });
    const rewritten = paths[0] as string;
    const other = Buffer.alloc(1200, 0xab);
    readFileSync(rewritten).copy(other, 0, 0, 16);
    writeFileSync(rewritten, other);
    utimesSync(rewritten, 1_700_000_000, 1_700_000_000);

    await engine.queueScan({
      scanId: summary.scanId,
      target: { workflowId: WORKFLOW, newBatch: { name: 'md5 reuse', isEnabled: false } },
    });
    const totals = await settledTotals(engine);
    expect(totals.files).toMatchObject({ done: 2, failed: 1 });
    const [failed] = (await engine.listQueue({ groups: ['failed'] })).items;
    expect(failed?.path).toBe(rewritten);
    expect(failed?.error).toContain('changed since it was queued (its content differs)');
  }, 60_000);
});

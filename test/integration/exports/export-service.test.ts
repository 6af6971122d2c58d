/**
 * The engine's export side against the sandbox: exports started in the background with live views, canceled ones
 * leave no partial file, and auto-sync exports only what is new when a batch's result count grows.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportArgs } from '../../../common/api.ts';
import type { Completion, ExportJobView } from '../../../common/api.ts';
import type { ClosableAlegionClient } from '../../../main/alegion/client.ts';
import { createExportService } from '../../../main/exports/export-service.ts';
import type { ExportService } from '../../../main/exports/export-service.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { FAST_LABELERS, sandboxClient, useSandbox } from '../../support/sandbox.ts';
import { addFinishedRecords, createFinishedBatch } from './finished-batch.ts';

const sandbox = useSandbox(FAST_LABELERS);
const WORKFLOW = SANDBOX_WORKFLOWS.image;

let client: ClosableAlegionClient;
let dir: string;
let service: ExportService;
const views: ExportJobView[] = [];
const notifications: { title: string; body: string }[] = [];
/** Auto-sync's clock runs ahead of the wall clock by this much, so a test can skip a whole interval. */
let clockOffset = 0;

/** Waits until the service has started and finished whatever the last signals caused. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  await service.whenIdle();
}

beforeAll(async () => {
  client = sandboxClient(sandbox());
  dir = await mkdtemp(join(tmpdir(), 'export-service-'));
  service = createExportService({
    stateDir: join(dir, 'state'),
    client: () => client,
    downloadDir: () => join(dir, 'downloads'),
    autoSyncMinutes: () => 1,
    onChange: (view) => views.push(view),
    notify: (title, body) => notifications.push({ title, body }),
    runner: { poll: { initialMs: 50, maxMs: 200 } },
    clock: {
      now: () => Date.now() + clockOffset,
      setTimeout: (callback, ms) => setTimeout(callback, Math.min(ms, 1000)),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
  });
});

afterAll(async () => {
  await service.close();
  client.close();
  await rm(dir, { recursive: true, force: true });
});

function completion(batchId: string, results: number): Completion {
  return {
    batchId,
    workflowId: WORKFLOW,
    records: results,
    results,
    exceptions: 0,
    canceled: 0,
    final: results,
    percentFinal: 100,
    done: true,
    coming: 0,
    counts: {
      complete: results,
      inProgress: 0,
      queued: 0,
      archived: 0,
      archiving: 0,
      adminReview: 0,
      content: 0,
      exceptions: 0,
      canceled: 0,
    },
    updatedAt: new Date().toISOString(),
  };
}

describe('export service', () => {
  it('runs an export in the background and reports it through views', async () => {
    const batch = await createFinishedBatch(client, WORKFLOW, { count: 2 });
    const started = await service.startExport(
      ExportArgs.parse({ workflowId: WORKFLOW, batchIds: [batch.batchId], extract: true }),
    );
    expect(started.status).toBe('creating');
    // Named after the batch and the local time, not the workflow's id.
    const { name } = await client.getBatch(batch.batchId);
    expect(started.filename).toMatch(
      new RegExp(`^${name} results \\d{4}-\\d{2}-\\d{2} \\d{2}-\\d{2}-\\d{2}\\.zip$`),
    );
    await service.whenIdle();
    const [listed] = await service.listExports();
    expect(listed).toMatchObject({ id: started.id, status: 'done', recordResultCount: 2, error: null });
    expect(existsSync(listed?.path ?? '')).toBe(true);
    expect(listed?.extractedTo).toBe(listed?.path?.replace(/\.zip$/, ''));
    const seen = new Set(views.filter((v) => v.id === started.id).map((v) => v.status));
    expect([...seen]).toEqual(expect.arrayContaining(['generating', 'downloading', 'extracting', 'done']));
  });

  it('ends an export with no matching result as done with 0 results, no file, and says so', async () => {
    const sb = sandbox();
    const exportsBefore = sb.stats().exports;
    // A time window no result falls into.
    const started = await service.startExport(
      ExportArgs.parse({
        workflowId: WORKFLOW,
        minCreatedAt: '2001-01-01T00:00:00Z',
        maxCreatedAt: '2001-01-02T00:00:00Z',
        destination: join(dir, 'empty-out'),
      }),
    );
    // No batch ticked: the whole workflow, named after it.
    expect(started.filename).toMatch(/^Sandbox image boxes results \d{4}-\d{2}-\d{2} [\d-]{8}\.zip$/);
    await service.whenIdle();
    const listed = (await service.listExports()).find((job) => job.id === started.id);
    expect(listed).toMatchObject({ status: 'done', recordResultCount: 0, path: null, error: null });
    expect(sb.stats().exports).toBe(exportsBefore);
    expect(existsSync(join(dir, 'empty-out', started.filename))).toBe(false);
    expect(notifications.at(-1)).toEqual({
      title: 'Nothing to export',
      body: 'no new results since 2001-01-01T00:00:00Z; nothing to download',
    });
  });

  it('cancels a running export and removes its partial file', async () => {
    const sb = sandbox();
    const batch = await createFinishedBatch(client, WORKFLOW, { count: 4, size: 60_000 });
    sb.setFaults({ downloadCutRate: 1, downloadCutAfterBytes: 16 * 1024, latencyMs: 50 });
    try {
      const started = await service.startExport(
        ExportArgs.parse({ workflowId: WORKFLOW, batchIds: [batch.batchId] }),
      );
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (views.some((v) => v.id === started.id && v.status === 'downloading' && v.bytes > 0)) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      });
      await service.cancelExport(started.id);
      const [listed] = await service.listExports();
      expect(listed).toMatchObject({ id: started.id, status: 'canceled', path: null });
      const part = join(dir, 'downloads', `${started.filename}.part`);
      expect(existsSync(part)).toBe(false);
      expect(existsSync(join(dir, 'downloads', started.filename))).toBe(false);
    } finally {
      sb.setFaults({ downloadCutRate: 0, latencyMs: 0 });
    }
  });

  it('auto-sync exports just the new results of a batch it is switched on for, at most once per interval', async () => {
    const batch = await createFinishedBatch(client, WORKFLOW, { count: 2 });
    await service.setAutoSync({ workflowId: WORKFLOW, batchId: batch.batchId, enabled: true });
    expect(await service.listAutoSync()).toEqual([
      { workflowId: WORKFLOW, batchId: batch.batchId, enabled: true },
    ]);
    const before = (await service.listExports()).length;
    service.onCompletion(completion(batch.batchId, 2));
    await settle();
    const first = (await service.listExports())[0] as ExportJobView;
    expect(first).toMatchObject({ status: 'done', batchIds: [batch.batchId], recordResultCount: 2 });
    expect((await service.listExports()).length).toBe(before + 1);

    // The same count again is not "new"; a higher one within the interval waits for the next window.
    service.onCompletion(completion(batch.batchId, 2));
    await addFinishedRecords(client, batch.batchId, { count: 3, expectTotal: 5 });
    service.onCompletion(completion(batch.batchId, 5));
    await settle();
    expect((await service.listExports()).length).toBe(before + 1);

    clockOffset += 61_000;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await settle();
    const exportsNow = await service.listExports();
    expect(exportsNow.length).toBe(before + 2);
    // Only the three results that are new since the first auto-sync export.
    const second = exportsNow[0] as ExportJobView;
    expect(second).toMatchObject({ status: 'done', recordResultCount: 3 });

    // A count that grew with nothing new to export behind it (nothing created since the last export): auto-sync
    // records no job and creates no export.
    const exportsOnPlatform = sandbox().stats().exports;
    service.onCompletion(completion(batch.batchId, 6));
    clockOffset += 61_000;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await settle();
    expect((await service.listExports()).length).toBe(before + 2);
    expect(sandbox().stats().exports).toBe(exportsOnPlatform);
    await service.setAutoSync({ workflowId: WORKFLOW, batchId: batch.batchId, enabled: false });
    expect(await service.listAutoSync()).toEqual([]);
  });
});

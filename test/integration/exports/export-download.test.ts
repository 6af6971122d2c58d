/**
 * Exports of a finished sandbox batch, downloaded by the runner through the real client: zip and json.gz content
 * against the sandbox's results, and a download cut several times with 2-second links.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosableAlegionClient } from '../../../main/alegion/client.ts';
import { collect } from '../../../main/alegion/pagination.ts';
import { ExportRunner } from '../../../main/exports/export-runner.ts';
import type {
  DownloadedExport,
  ExportClient,
  ExportOutcome,
  ExportRunEvent,
} from '../../../main/exports/export-runner.ts';
import { ExportStore } from '../../../main/exports/export-store.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { FAST_LABELERS, sandboxClient, useSandbox } from '../../support/sandbox.ts';
import { createFinishedBatch } from './finished-batch.ts';
import type { FinishedBatch } from './finished-batch.ts';

const sandbox = useSandbox({ ...FAST_LABELERS, downloadUrlTtl: 2 });
const WORKFLOW = SANDBOX_WORKFLOWS.image;

let client: ClosableAlegionClient;
let dir: string;
let store: ExportStore;
let batch: FinishedBatch;
let resultIds: string[];

beforeAll(async () => {
  client = sandboxClient(sandbox());
  dir = await mkdtemp(join(tmpdir(), 'export-it-'));
  store = new ExportStore(join(dir, 'state', 'exports.sqlite'));
  // Incompressible assets, so the zip is large enough to be cut several times.
  batch = await createFinishedBatch(client, WORKFLOW, { count: 6, size: 60_000 });
  resultIds = (await collect(client.listBatchResults(batch.batchId))).map((r) => r.id).sort();
});

afterAll(async () => {
  store.close();
  client.close();
  await rm(dir, { recursive: true, force: true });
});

function runner(events: ExportRunEvent[] = [], exportClient: ExportClient = client): ExportRunner {
  return new ExportRunner({
    client: exportClient,
    store,
    onEvent: (event) => events.push(event),
    poll: { initialMs: 50, maxMs: 200 },
    download: { retryBaseMs: 20 },
  });
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

/** The sandbox's own copy of an export file (its storage on disk). */
async function sandboxFile(exportId: string): Promise<Buffer> {
  const root = sandbox().options.dataDir as string;
  const entries = await readdir(join(root, 'exports'), { recursive: true });
  const match = entries.find((entry) => entry.includes(exportId) && !entry.endsWith(exportId));
  return readFile(join(root, 'exports', match ?? exportId));
}

/** The outcome of a run that downloaded a file (fails the test otherwise). */
function downloaded(outcome: ExportOutcome): DownloadedExport {
  if (outcome.empty) throw new Error('expected a downloaded export, got one with no result');
  return outcome;
}

describe('export of a finished batch', () => {
  it('downloads a zip in the tutorial layout and extracts it: every result once, with its asset', async () => {
    expect(resultIds).toHaveLength(6);
    const outcome = downloaded(
      await runner().run({
        workflowId: WORKFLOW,
        batchIds: [batch.batchId],
        outDir: join(dir, 'zip'),
        extract: true,
      }),
    );
    expect(outcome.job.recordResultCount).toBe(6);
    expect(existsSync(`${outcome.path}.part`)).toBe(false);
    const folder = outcome.extractedTo as string;
    expect(folder).toBe(outcome.path.replace(/\.zip$/, ''));
    // One directory per record result, named by its id.
    expect((await readdir(folder)).sort()).toEqual(resultIds);
    for (const id of resultIds) {
      const files = (await readdir(join(folder, id))).sort();
      const assetFile = files.find((f) => !f.endsWith('.json')) as string;
      expect(files).toEqual([assetFile, `${assetFile}.json`].sort());
      const json = JSON.parse(await readFile(join(folder, id, `${assetFile}.json`), 'utf8')) as {
        id: string;
      };
      expect(json.id).toBe(id);
      expect(await readFile(join(folder, id, assetFile))).toEqual(batch.files.get(assetFile));
    }
    expect(store.getCursor(WORKFLOW, batch.batchId)?.exportId).toBe(outcome.job.exportId);
  });

  it('downloads a gzipped json export holding each result exactly once', async () => {
    const outcome = downloaded(
      await runner().run({
        workflowId: WORKFLOW,
        batchIds: [batch.batchId],
        format: 'json',
        outDir: join(dir, 'json'),
      }),
    );
    expect(outcome.path).toMatch(/\.json\.gz$/);
    const results = JSON.parse(gunzipSync(await readFile(outcome.path)).toString('utf8')) as { id: string }[];
    expect(results.map((r) => r.id).sort()).toEqual(resultIds);
    expect(outcome.md5).toBe(md5(await sandboxFile(outcome.job.exportId as string)));
  });

  it('survives cuts mid-stream with 2 s links: same bytes as the sandbox, only the remainder fetched', async () => {
    const sb = sandbox();
    const cutAfter = 64 * 1024;
    sb.setFaults({ downloadCutRate: 1, downloadCutAfterBytes: cutAfter });
    const before = sb.stats().downloads;
    const events: ExportRunEvent[] = [];
    try {
      const outcome = downloaded(
        await runner(events).run({
          workflowId: WORKFLOW,
          batchIds: [batch.batchId],
          outDir: join(dir, 'cuts'),
        }),
      );
      const after = sb.stats().downloads;
      const size = outcome.bytes;
      expect(outcome.md5).toBe(md5(await sandboxFile(outcome.job.exportId as string)));
      expect(md5(await readFile(outcome.path))).toBe(outcome.md5);
      const received = events.flatMap((e) =>
        e.type === 'download' && e.event.type === 'interrupted' ? [e.event.bytes] : [],
      );
      const cuts = received.length;
      expect(cuts).toBeGreaterThanOrEqual(4);
      expect(after.cut - before.cut).toBe(cuts);
      expect(after.requests - before.requests).toBe(cuts + 1);
      // Every request after the first continued with Range...
      expect(after.rangeRequests - before.rangeRequests).toBe(cuts);
      // ...from exactly the bytes on disk: each cut request served cutAfter bytes and the last one the rest, so
      // the served total exceeds the file only by what a cut lost in flight (never a refetched range).
      const lastOffset = received.at(-1) as number;
      const lostInFlight = cuts * cutAfter - lastOffset;
      expect(after.bytesServed - before.bytesServed).toBe(size + lostInFlight);
      expect(lostInFlight).toBeLessThan(cuts * 4096);
    } finally {
      sb.setFaults({ downloadCutRate: 0 });
    }
  });

  it('replaces a link that expired before it was used (storage 403) with a fresh one', async () => {
    let handedOut = 0;
    // The real client, except that the first link is held past its 2 s lifetime before the download uses it.
    const slowFirstLink: ExportClient = {
      createExport: (request) => client.createExport(request),
      listWorkflowResults: (workflowId, query) => client.listWorkflowResults(workflowId, query),
      getExport: (id) => client.getExport(id),
      getExportDownloadUrl: async (id) => {
        const url = await client.getExportDownloadUrl(id);
        if (handedOut++ === 0) await delay(2500);
        return url;
      },
    };
    const events: ExportRunEvent[] = [];
    const outcome = downloaded(
      await runner(events, slowFirstLink).run({
        workflowId: WORKFLOW,
        batchIds: [batch.batchId],
        format: 'json',
        outDir: join(dir, 'expired'),
      }),
    );
    expect(handedOut).toBe(2);
    const reasons = events.flatMap((e) =>
      e.type === 'download' && e.event.type === 'interrupted' ? [e.event.reason] : [],
    );
    expect(reasons).toEqual(['the download link expired']);
    expect(outcome.md5).toBe(md5(await sandboxFile(outcome.job.exportId as string)));
  });

  it('rides out going offline mid-download and continues where it stopped', async () => {
    const sb = sandbox();
    // Short cuts with latency keep the transfer going long enough for the network to drop in the middle.
    sb.setFaults({ downloadCutRate: 1, downloadCutAfterBytes: 48 * 1024, latencyMs: 50 });
    const before = sb.stats().downloads;
    let offlineAt: number | undefined;
    const interruptions: { reason: string; bytes: number }[] = [];
    const offlineRunner = new ExportRunner({
      client,
      store,
      poll: { initialMs: 50, maxMs: 200 },
      download: { retryBaseMs: 100 },
      onEvent: (event) => {
        if (event.type !== 'download') return;
        if (event.event.type === 'interrupted') interruptions.push(event.event);
        if (event.event.type === 'progress' && event.event.bytes > 100_000 && offlineAt === undefined) {
          offlineAt = event.event.bytes;
          sb.setFaults({ offline: true });
          setTimeout(() => sb.setFaults({ offline: false }), 1500);
        }
      },
    });
    try {
      const outcome = downloaded(
        await offlineRunner.run({
          workflowId: WORKFLOW,
          batchIds: [batch.batchId],
          outDir: join(dir, 'offline'),
        }),
      );
      expect(offlineAt).toBeDefined();
      expect(outcome.md5).toBe(md5(await sandboxFile(outcome.job.exportId as string)));
      // Nothing was fetched twice from the start: after the outage the download went on with Range requests.
      const after = sb.stats().downloads;
      expect(after.requests - before.requests).toBe(after.rangeRequests - before.rangeRequests + 1);
      expect(interruptions.length).toBeGreaterThan(0);
    } finally {
      sb.setFaults({ downloadCutRate: 0, latencyMs: 0, offline: false });
    }
  });
});

/**
 * A whole export against a real S3 implementation: the sandbox writes the export zip, s3rver holds it under a key
 * with odd characters, and the sandbox's download redirects to a SigV4 or SigV2 link to it. The runner (the same
 * one the CLI and the app use) downloads it, checks it against s3rver's ETag and extracts it; the file must be
 * s3rver's bytes, and the extracted folder what Info-ZIP's unzip extracts from the same file. An expired first
 * link is replaced by a fresh one from the platform.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosableAlegionClient } from '../../../main/alegion/client.ts';
import { ExportRunner } from '../../../main/exports/export-runner.ts';
import type { ExportRunEvent } from '../../../main/exports/export-runner.ts';
import { ExportStore } from '../../../main/exports/export-store.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { treeOf } from '../../fixtures/zips/file-tree.ts';
import { useS3 } from '../../support/s3-storage.ts';
import type { SessionLinks } from '../../support/s3-storage.ts';
import { FAST_LABELERS, useSandbox } from '../../support/sandbox.ts';
import { createFinishedBatch } from '../exports/finished-batch.ts';
import type { FinishedBatch } from '../exports/finished-batch.ts';
import { sandboxClient } from '../uploads/helpers.ts';

const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;
if (!hasUnzip)
  console.log('s3-export: Info-ZIP unzip is not installed, so the extracted tree is not compared');

const links: SessionLinks = {
  signer: 'v4',
  keyFor: (file) =>
    `domain-object/record-result-export/odd ~_-+'!=%2F é/${file.id}/${file.fileName ?? 'export'}`,
};
const { s3, storage } = useS3(links);
const sandbox = useSandbox({ ...FAST_LABELERS, externalStorage: { exportUrl: storage.exportUrl } });
const WORKFLOW = SANDBOX_WORKFLOWS.image;

let client: ClosableAlegionClient;
let dir: string;
let store: ExportStore;
let batch: FinishedBatch;

beforeAll(async () => {
  client = sandboxClient(sandbox());
  dir = await mkdtemp(join(tmpdir(), 's3-export-'));
  store = new ExportStore(join(dir, 'state', 'exports.sqlite'));
  batch = await createFinishedBatch(client, WORKFLOW, { count: 4, size: 40_000 });
});
afterAll(async () => {
  store.close();
  client.close();
  await rm(dir, { recursive: true, force: true });
});

async function exportOnce(label: string, events: ExportRunEvent[] = []) {
  const runner = new ExportRunner({
    client,
    store,
    onEvent: (event) => events.push(event),
    poll: { initialMs: 50, maxMs: 200 },
    download: { retryBaseMs: 20 },
  });
  const outcome = await runner.run({
    workflowId: WORKFLOW,
    batchIds: [batch.batchId],
    filename: `${label} results_1-2.zip`,
    outDir: join(dir, label),
    extract: true,
  });
  if (outcome.empty) throw new Error('the export held no result');
  return outcome;
}

describe.each(['v4', 'v2'] as const)('an export downloaded from s3rver through %s links', (signer) => {
  it('arrives as s3rver holds it, checked against its ETag, and extracts as unzip does', async () => {
    links.signer = signer;
    delete links.ttlQueue;
    const outcome = await exportOnce(signer);
    const key = storage.keys.get(outcome.job.exportId ?? '');
    const stored = await s3().read(key ?? '');
    expect(stored).toBeDefined();
    expect((await readFile(outcome.path)).equals(stored?.bytes ?? Buffer.alloc(0))).toBe(true);
    expect(outcome.md5).toBe(stored?.etag);
    const extracted = await treeOf(outcome.extractedTo ?? '');
    // Every uploaded image is in the export, under its result's folder.
    expect(Object.keys(extracted).filter((name) => name.endsWith('.png'))).toHaveLength(4);
    if (hasUnzip) {
      const reference = join(dir, `${signer}-unzip`);
      await mkdir(reference);
      expect(spawnSync('unzip', ['-q', outcome.path, '-d', reference]).status).toBe(0);
      expect(extracted).toEqual(await treeOf(reference));
    }
  });
});

describe('an expired export link', () => {
  it('is replaced by a fresh one from the platform, and the download completes', async () => {
    links.signer = 'v2';
    links.ttlQueue = [-60];
    const before = storage.issued.length;
    const events: ExportRunEvent[] = [];
    const outcome = await exportOnce('expired', events);
    expect(storage.issued.length - before).toBe(2);
    const reasons = events.flatMap((event) =>
      event.type === 'download' && event.event.type === 'interrupted' ? [event.event.reason] : [],
    );
    expect(reasons).toEqual(['the download link expired']);
    const stored = await s3().read(storage.keys.get(outcome.job.exportId ?? '') ?? '');
    expect((await readFile(outcome.path)).equals(stored?.bytes ?? Buffer.alloc(0))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { NotFoundError, OutcomeUnknownError } from '../../../main/alegion/errors.ts';
import { collect } from '../../../main/alegion/pagination.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { clientFor, failureOf } from './helpers.ts';

const sandbox = useSandbox({ taskSeconds: 0, exceptionRate: 0, seed: 19 });
const WORKFLOW = SANDBOX_WORKFLOWS.records;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batches, assets and exports', () => {
  it('reads and updates a batch', async () => {
    const client = clientFor(sandbox());
    const created = await client.createBatch(WORKFLOW, { name: 'to enable', priority: 'high' });
    expect(created).toMatchObject({ name: 'to enable', isEnabled: false, workflowId: WORKFLOW });
    expect((await client.getBatch(created.id)).id).toBe(created.id);
    const updated = await client.updateBatch(created.id, { isEnabled: true });
    expect(updated.isEnabled).toBe(true);
    client.close();
  });

  it('deletes an asset, after which it is not found', async () => {
    const client = clientFor(sandbox());
    const asset = await client.createAsset({ fileName: 'gone.png', type: 'image' });
    await client.deleteAsset(asset.id);
    const error = await failureOf(() => client.getAsset(asset.id));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(`asset ${asset.id} not found`);
    client.close();
  });

  it('creates an export, waits for it, and gets its short-lived download link on the storage host', async () => {
    const client = clientFor(sandbox());
    const batch = await client.createBatch(WORKFLOW, { name: 'exported', isEnabled: true });
    await client.importRecords(batch.id, [{ data: { q: 1 } }, { data: { q: 2 } }]);
    while ((await client.listBatchResults(batch.id).count()) < 2) await sleep(50);

    const early = await client.createExport({
      fileType: 'json',
      filename: 'results.json.gz',
      workflowId: WORKFLOW,
    });
    expect(['in-progress', 'ready']).toContain(early.status);
    let current = early;
    while (current.status === 'in-progress') {
      await sleep(50);
      current = await client.getExport(early.id);
    }
    expect(current.status).toBe('ready');
    const link = await client.getExportDownloadUrl(early.id);
    expect(new URL(link).origin).toBe(sandbox().origin);
    const download = await fetch(link);
    expect(download.status).toBe(200);
    await download.arrayBuffer();
    client.close();
  });

  it('iterates results 100 per page by default, each once', async () => {
    const client = clientFor(sandbox());
    const batch = await client.createBatch(WORKFLOW, { name: 'many results', isEnabled: true });
    await client.importRecords(
      batch.id,
      Array.from({ length: 150 }, (_, index) => ({ data: { q: index } })),
    );
    while ((await client.listBatchResults(batch.id).count()) < 150) await sleep(50);
    const route = 'GET /v1/exports/workflows/:workflowId/results';
    const before = sandbox().stats().requestsByRoute[route] ?? 0;
    const results = await collect(client.listWorkflowResults(WORKFLOW, { batchIds: [batch.id] }));
    expect((sandbox().stats().requestsByRoute[route] ?? 0) - before).toBe(2);
    expect(new Set(results.map((result) => result.inputRecordId)).size).toBe(150);
    expect(results.every((result) => result.batchId === batch.id)).toBe(true);
    client.close();
  });

  it('a create export that meets a 5xx is reported as outcome unknown, not repeated', async () => {
    const client = clientFor(sandbox());
    await client.verify();
    const exportsBefore = sandbox().stats().exports;
    sandbox().setFaults({ errorRate: 1 });
    try {
      const error = await failureOf(() =>
        client.createExport({ fileType: 'zip', filename: 'x.zip', workflowId: WORKFLOW }),
      );
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect((error as OutcomeUnknownError).operation).toBe('createExport');
    } finally {
      sandbox().setFaults({ errorRate: 0 });
    }
    expect(sandbox().stats().exports).toBe(exportsBefore);
    client.close();
  });
});

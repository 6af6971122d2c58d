import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collect } from '../../../main/alegion/pagination.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { clientFor } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 11 });
const WORKFLOW = SANDBOX_WORKFLOWS.records;

const routeCount = (route: string) => sandbox().stats().requestsByRoute[route] ?? 0;

describe('pagination', () => {
  it('yields every record exactly once across page boundaries, in the asked order, and counts them', async () => {
    const client = clientFor(sandbox());
    const batch = await client.createBatch(WORKFLOW, { name: 'paging' });
    const created = await client.importRecords(
      batch.id,
      Array.from({ length: 250 }, (_, index) => ({ data: { question: `q${index}` }, metadata: `m${index}` })),
    );
    const before = routeCount('GET /v1/batches/:batchId/records');

    const ascending = await collect(client.listRecords(batch.id, { pageSize: 20, sort: '+createdAt' }));
    expect(routeCount('GET /v1/batches/:batchId/records') - before).toBe(13);
    expect(ascending).toHaveLength(250);
    expect(new Set(ascending.map((record) => record.id)).size).toBe(250);
    expect(ascending.map((record) => record.id)).toEqual(created.map((record) => record.id));

    const descending = await collect(client.listRecords(batch.id, { pageSize: 20, sort: '-createdAt' }));
    expect(descending.map((record) => record.metadata)).toEqual(
      ascending.map((record) => record.metadata).reverse(),
    );

    // Without a page size, iteration asks for 100 per page: 3 requests for 250 records.
    const beforeDefault = routeCount('GET /v1/batches/:batchId/records');
    expect(await collect(client.listRecords(batch.id, { sort: '+createdAt' }))).toHaveLength(250);
    expect(routeCount('GET /v1/batches/:batchId/records') - beforeDefault).toBe(3);

    expect(await client.listRecords(batch.id).count()).toBe(250);
    expect(await client.listRecords(batch.id, { status: ['exception', 'canceled'] }).count()).toBe(0);
    expect(await client.listRecords(batch.id, { status: ['queued'] }).count()).toBe(250);
    client.close();
  });

  it('ends cleanly on a listing that fits one page, and on an empty one', async () => {
    const client = clientFor(sandbox());
    const batch = await client.createBatch(WORKFLOW, { name: 'empty' });
    expect(await collect(client.listRecords(batch.id))).toEqual([]);
    expect(await client.listRecords(batch.id).count()).toBe(0);
    expect(await collect(client.listBatchResults(batch.id))).toEqual([]);
    expect(await client.listWorkflowResults(WORKFLOW, { batchIds: [batch.id] }).count()).toBe(0);
    client.close();
  });
});

describe('bulk limits', () => {
  it('posts 2,500 asset ids as 3 chunks and returns the validation errors per asset', async () => {
    const client = clientFor(sandbox());
    const batch = await client.createBatch(WORKFLOW, { name: 'chunks' });
    const assetIds = Array.from({ length: 2_500 }, () => randomUUID());
    const before = routeCount('POST /v1/batches/:batchId/records/assets');
    const chunkSizes: number[] = [];
    const result = await client.createAssetRecords(batch.id, assetIds, {
      onChunk: (chunk, index, total) => {
        expect(total).toBe(3);
        expect(index).toBe(chunkSizes.length);
        chunkSizes.push(chunk.assetValidationErrors.length);
      },
    });
    expect(routeCount('POST /v1/batches/:batchId/records/assets') - before).toBe(3);
    expect(chunkSizes).toEqual([1_000, 1_000, 500]);
    expect(result.created).toEqual([]);
    expect(result.assetValidationErrors.map((error) => error.assetId)).toEqual(assetIds);
    expect(result.assetValidationErrors[0]?.message).toBe(`Asset not found: ${assetIds[0]}`);
    client.close();
  });

  it('imports 2,500 JSON records as 3 chunks, each record once', async () => {
    const client = clientFor(sandbox());
    const batch = await client.createBatch(WORKFLOW, { name: 'import chunks' });
    const before = routeCount('POST /v1/batches/:batchId/records/import');
    const created = await client.importRecords(
      batch.id,
      Array.from({ length: 2_500 }, (_, index) => ({ data: { n: index } })),
    );
    expect(routeCount('POST /v1/batches/:batchId/records/import') - before).toBe(3);
    expect(created).toHaveLength(2_500);
    expect(await client.listRecords(batch.id).count()).toBe(2_500);
    client.close();
  });

  it('refuses metadata inside data before sending anything', async () => {
    const client = clientFor(sandbox());
    const batch = await client.createBatch(WORKFLOW, { name: 'bad import' });
    const before = routeCount('POST /v1/batches/:batchId/records/import');
    await expect(
      client.importRecords(batch.id, [
        { data: { q: 1 }, metadata: 'ok' },
        { data: { q: 2 }, oops: 1 } as never,
      ]),
    ).rejects.toThrow(/^importRecords: 1: Unrecognized key: "oops"$/);
    expect(routeCount('POST /v1/batches/:batchId/records/import') - before).toBe(0);
    client.close();
  });
});

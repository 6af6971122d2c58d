/**
 * The tutorial's full round trip against the sandbox: login, register, upload, close, batch, records, labelers,
 * results, doneness counts, exports in both formats, the download redirect and a Range resume.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/seed.ts';
import { FAST_LABELERS, useSandbox } from '../../support/sandbox.ts';
import { connect, uploadAsset, waitFor, zipEntries } from './sandbox-api.ts';

const sandbox = useSandbox(FAST_LABELERS);

interface Export {
  id: string;
  status: string;
  recordResultCount: number;
}

describe('sandbox round trip (tutorial)', () => {
  it('uploads assets, labels them and exports the results as zip and gzipped json', async () => {
    const api = await connect(sandbox());
    const workflowId = SANDBOX_WORKFLOWS.image;
    const contents = [Buffer.from('first image bytes'), Buffer.alloc(300_000, 7)];
    const assets = [];
    for (const [index, content] of contents.entries()) {
      const asset = await uploadAsset(api, {
        name: `car-${index}`,
        fileName: `car-${index}.jpg`,
        type: 'image',
        content,
      });
      expect(asset.etag).toBe(`"${asset.md5}"`);
      assets.push(asset);
    }

    const batch = await api.json<{ id: string; priority: string; isEnabled: boolean }>(
      'POST',
      `/workflows/${workflowId}/batches`,
      { name: 'Round trip', isEnabled: false },
    );
    expect(batch).toMatchObject({ priority: 'normal', isEnabled: false });

    const created = await api.call('POST', `/batches/${batch.id}/records/assets`, {
      assetIds: assets.map((asset) => asset.id),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as {
      created: { id: string; assetId: string }[];
      assetValidationErrors: [];
    };
    expect(body.created.map((c) => c.assetId)).toEqual(assets.map((a) => a.id));
    expect(body.assetValidationErrors).toEqual([]);

    // A disabled batch is not worked.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const queued = await api.call('GET', `/batches/${batch.id}/records?status=queued&page=1&pageSize=1`);
    expect(queued.headers.get('x-total-count')).toBe('2');

    await api.json('PUT', `/batches/${batch.id}`, { isEnabled: true });
    const results = await waitFor(async () => {
      const response = await api.call('GET', `/batches/${batch.id}/results?page=1&pageSize=1`);
      return response.headers.get('x-total-count') === '2' ? response : undefined;
    });
    expect(results.status).toBe(200);

    const summaries = await api.json<Record<string, unknown>[]>('GET', `/workflows/${workflowId}/batches`);
    const summary = summaries.find((s) => s.id === batch.id);
    expect(summary).toMatchObject({
      complete: 2,
      inProgress: 0,
      queued: 0,
      exceptions: 0,
      canceled: 0,
      archived: 0,
    });
    const records = await api.json<{ assetId: string; status: string }[]>(
      'GET',
      `/batches/${batch.id}/records`,
    );
    expect(records.map((r) => r.status)).toEqual(['complete', 'complete']);
    expect(new Set(records.map((r) => r.assetId))).toEqual(new Set(assets.map((a) => a.id)));

    // Zip export: one directory per record result with <asset-name>.json and the asset file.
    const zipExport = await api.json<Export>('POST', '/exports/record-result-exports', {
      fileType: 'zip',
      filename: 'export-example.zip',
      workflowId,
      batchIds: [batch.id],
    });
    expect(zipExport).toMatchObject({ status: 'in-progress', recordResultCount: 2 });
    await waitFor(async () => {
      const current = await api.json<Export>('GET', `/exports/record-result-exports/${zipExport.id}`);
      return current.status === 'ready' ? current : undefined;
    });
    const redirect = await api.call('GET', `/exports/record-result-exports/${zipExport.id}/download`);
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') ?? '';
    const head = await fetch(location, { method: 'HEAD' });
    const size = Number(head.headers.get('content-length'));
    const etag = head.headers.get('etag');
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    // Range resume: first part, then the remainder.
    const first = await fetch(location, { headers: { range: 'bytes=0-99' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${size}`);
    const rest = await fetch(location, { headers: { range: 'bytes=100-', 'if-range': etag ?? '' } });
    expect(rest.status).toBe(206);
    const zip = Buffer.concat([
      Buffer.from(await first.arrayBuffer()),
      Buffer.from(await rest.arrayBuffer()),
    ]);
    expect(zip.length).toBe(size);
    const entries = await zipEntries(zip);
    const resultIds = (await api.json<{ id: string }[]>('GET', `/batches/${batch.id}/results`)).map(
      (r) => r.id,
    );
    expect(entries.size).toBe(4);
    for (const id of resultIds) {
      const names = [...entries.keys()].filter((name) => name.startsWith(`${id}/`));
      expect(names).toHaveLength(2);
      const jsonName = names.find((name) => name.endsWith('.json')) ?? '';
      const result = JSON.parse(entries.get(jsonName)?.toString() ?? '{}') as {
        id: string;
        resultData: { boxes: unknown[] };
        inputRecord: { assetId: string };
      };
      expect(result.id).toBe(id);
      expect(result.resultData.boxes.length).toBeGreaterThan(0);
      const index = assets.findIndex((a) => a.id === result.inputRecord.assetId);
      expect(jsonName).toBe(`${id}/car-${index}.json`);
      expect(entries.get(`${id}/car-${index}.jpg`)).toEqual(contents[index]);
    }

    // JSON export, gzipped because the filename ends in .gz.
    const jsonExport = await api.json<Export>('POST', '/exports/record-result-exports', {
      fileType: 'json',
      filename: 'export-example.json.gz',
      workflowId,
      minCreatedAt: '2021-01-01T00:00:00Z',
    });
    await waitFor(async () => {
      const current = await api.json<Export>('GET', `/exports/record-result-exports/${jsonExport.id}`);
      return current.status === 'ready' ? current : undefined;
    });
    const jsonRedirect = await api.call('GET', `/exports/record-result-exports/${jsonExport.id}/download`);
    const gz = Buffer.from(await (await fetch(jsonRedirect.headers.get('location') ?? '')).arrayBuffer());
    const array = JSON.parse(gunzipSync(gz).toString()) as { id: string }[];
    expect(array.map((r) => r.id).sort()).toEqual([...resultIds].sort());
    const after = await api.json<Export>('GET', `/exports/record-result-exports/${jsonExport.id}`);
    expect(after.status).toBe('downloaded');
  });
});

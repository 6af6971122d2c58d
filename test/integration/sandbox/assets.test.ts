/**
 * Asset and export life cycle details beyond the round trip: delete, repeated sessions, not-ready exports,
 * duplicate records counted, the asset status sequence after close.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/seed.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { connect, uploadAsset, waitFor } from './sandbox-api.ts';

const sandbox = useSandbox({ labelers: false });

describe('assets', () => {
  it('move from pending-preprocessing through preprocessing to uploaded after close', async () => {
    const api = await connect(sandbox());
    const asset = await uploadAsset(api, {
      name: 'steps',
      fileName: 'steps.jpg',
      type: 'image',
      content: Buffer.from('x'),
    });
    const seen = new Set<string>();
    await waitFor(async () => {
      const { status } = await api.json<{ status: string }>('GET', `/assets/${asset.id}`);
      seen.add(status);
      return status === 'uploaded' ? true : undefined;
    });
    expect(seen.has('uploading')).toBe(false);
    expect([...seen].every((s) => ['pending-preprocessing', 'preprocessing', 'uploaded'].includes(s))).toBe(
      true,
    );
    // A closed asset gets no new upload session.
    expect((await api.call('POST', `/assets/${asset.id}/upload`)).status).toBe(409);
  });

  it('accepts a PUT to the URL of every session opened while uploading (the last one wins), and deletes assets', async () => {
    const api = await connect(sandbox());
    const asset = await api.json<{ id: string }>('POST', '/assets', {
      name: 'twice',
      fileName: 'twice.jpg',
      type: 'image',
    });
    const first = await api.json<{ url: string }>('POST', `/assets/${asset.id}/upload`);
    const second = await api.json<{ url: string }>('POST', `/assets/${asset.id}/upload`);
    expect((await fetch(first.url, { method: 'PUT', body: Buffer.from('one') })).status).toBe(200);
    expect((await fetch(second.url, { method: 'PUT', body: Buffer.from('two') })).headers.get('etag')).toBe(
      '"b8a9f715dbb64fd5c56e7783c6820a61"',
    );
    expect((await api.call('DELETE', `/assets/${asset.id}`)).status).toBe(204);
    expect((await api.call('GET', `/assets/${asset.id}`)).status).toBe(404);
    expect((await fetch(second.url, { method: 'PUT', body: Buffer.from('three') })).status).toBe(404);
  });

  it('refuses a PUT that sends a Content-Type with SignatureDoesNotMatch, as S3 does for a URL signed without one', async () => {
    const api = await connect(sandbox());
    const asset = await api.json<{ id: string }>('POST', '/assets', { fileName: 'typed.jpg', type: 'image' });
    const { url } = await api.json<{ url: string }>('POST', `/assets/${asset.id}/upload`);
    const typed = await fetch(url, {
      method: 'PUT',
      body: Buffer.from('data'),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(typed.status).toBe(403);
    expect(await typed.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code><Message>The request signature/);
    // The same URL without the header is good: what was refused was the header, not the link.
    expect((await fetch(url, { method: 'PUT', body: Buffer.from('data') })).status).toBe(200);
  });

  it('counts the same asset twice in one batch as a duplicate record', async () => {
    const api = await connect(sandbox());
    const asset = await uploadAsset(api, {
      name: 'dup',
      fileName: 'dup.jpg',
      type: 'image',
      content: Buffer.from('d'),
    });
    const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.image}/batches`, {
      name: 'd',
    });
    const before = sandbox().stats().duplicateRecords;
    await api.json('POST', `/batches/${batch.id}/records/assets`, { assetIds: [asset.id] });
    await api.json('POST', `/batches/${batch.id}/records/assets`, { assetIds: [asset.id] });
    expect(sandbox().stats().duplicateRecords).toBe(before + 1);
    expect(sandbox().stats().recordsByBatch[batch.id]).toEqual({ queued: 2 });
  });
});

describe('exports', () => {
  it('refuses to hand out a download URL before the export is ready', async () => {
    const api = await connect(sandbox());
    const created = await api.json<{ id: string; status: string }>('POST', '/exports/record-result-exports', {
      fileType: 'json',
      filename: 'early.json',
      workflowId: SANDBOX_WORKFLOWS.video,
    });
    expect(created.status).toBe('in-progress');
    const early = await api.call('GET', `/exports/record-result-exports/${created.id}/download`);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { message: string }).message).toContain('not ready');
    const unknownWorkflow = await api.call('POST', '/exports/record-result-exports', {
      fileType: 'zip',
      filename: 'x.zip',
      workflowId: crypto.randomUUID(),
    });
    expect(unknownWorkflow.status).toBe(404);
  });
});

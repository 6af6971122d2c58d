/**
 * `bandwidthMbps`: one cap per direction shared by every connection, for uploads to storage, downloads from it
 * and API calls; and `latencyMs` on API and storage requests alike. Only lower bounds are asserted (a slow
 * machine only makes transfers slower); speed targets are for the bench.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/seed.ts';
import { FAST_LABELERS, useSandbox } from '../../support/sandbox.ts';
import { connect, labelAssets, readyExportUrl, uploadAsset, zipEntries } from './sandbox-api.ts';
import type { Api } from './sandbox-api.ts';

const MEGABITS_PER_SECOND = 40;
const FILE_BYTES = 2 * 1024 * 1024;
/** Below the time the cap implies, to leave room for the pacer's first chunk going through at once. */
const SLACK = 0.8;

const sandbox = useSandbox({ ...FAST_LABELERS, bandwidthMbps: MEGABITS_PER_SECOND });

/** Seconds `bytes` take at the cap. */
function secondsAtCap(bytes: number): number {
  return (bytes * 8) / (MEGABITS_PER_SECOND * 1_000_000);
}

async function signedPutUrl(api: Api, name: string): Promise<{ id: string; url: string }> {
  const asset = await api.json<{ id: string }>('POST', '/assets', {
    name,
    fileName: `${name}.jpg`,
    type: 'image',
  });
  const { url } = await api.json<{ url: string }>('POST', `/assets/${asset.id}/upload`);
  return { id: asset.id, url };
}

describe('bandwidth cap', () => {
  it('makes concurrent uploads share one cap, and stores every byte', async () => {
    const api = await connect(sandbox());
    const files = Array.from({ length: 4 }, () => randomBytes(FILE_BYTES));
    const targets = await Promise.all(files.map((_, index) => signedPutUrl(api, `shared-${index}`)));
    const started = performance.now();
    const puts = await Promise.all(
      targets.map((target, index) =>
        fetch(target.url, { method: 'PUT', body: new Uint8Array(files[index] ?? []) }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(puts.map((put) => put.status)).toEqual([200, 200, 200, 200]);
    for (const target of targets) {
      expect((await api.call('DELETE', `/assets/${target.id}/upload`)).status).toBe(204);
    }
    expect(puts.map((put) => put.headers.get('etag'))).toEqual(
      files.map((file) => `"${createHash('md5').update(file).digest('hex')}"`),
    );
    // One upload alone would take a quarter of this: four at once take as long as their sum at the cap.
    expect(seconds).toBeGreaterThanOrEqual(SLACK * secondsAtCap(4 * FILE_BYTES));
  });

  it('caps a download from storage, which arrives whole', async () => {
    const api = await connect(sandbox());
    const content = randomBytes(FILE_BYTES);
    const asset = await uploadAsset(api, { name: 'large', fileName: 'large.jpg', type: 'image', content });
    const batchId = await labelAssets(api, SANDBOX_WORKFLOWS.image, [asset.id]);
    const location = await readyExportUrl(api, {
      fileType: 'zip',
      filename: 'capped.zip',
      workflowId: SANDBOX_WORKFLOWS.image,
      batchIds: [batchId],
    });
    const started = performance.now();
    const zip = Buffer.from(await (await fetch(location)).arrayBuffer());
    const seconds = (performance.now() - started) / 1000;
    const stored = [...(await zipEntries(zip)).values()].find((entry) => entry.length === FILE_BYTES);
    expect(stored?.equals(content)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(SLACK * secondsAtCap(zip.length));
  });
});

describe('latency', () => {
  const LATENCY_MS = 300;

  async function elapsedMs(run: () => Promise<Response>): Promise<{ ms: number; status: number }> {
    const started = performance.now();
    const response = await run();
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status };
  }

  it('is added to an API call and to a storage request alike', async () => {
    const api = await connect(sandbox());
    const target = await signedPutUrl(api, 'late');
    sandbox().setFaults({ latencyMs: LATENCY_MS });
    try {
      const call = await elapsedMs(() => api.call('GET', '/workflows'));
      const put = await elapsedMs(() => fetch(target.url, { method: 'PUT', body: new Uint8Array(16) }));
      expect(call.status).toBe(200);
      expect(put.status).toBe(200);
      expect(call.ms).toBeGreaterThanOrEqual(LATENCY_MS - 5);
      expect(put.ms).toBeGreaterThanOrEqual(LATENCY_MS - 5);
    } finally {
      sandbox().setFaults({ latencyMs: 0 });
    }
  });
});

/**
 * Each fault switch, set through the programmatic API and through `POST /__sandbox/faults`.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../../../sandbox/options.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/seed.ts';
import { FAST_LABELERS, useSandbox } from '../../support/sandbox.ts';
import { connect, labelAssets, uploadAsset, waitFor } from './sandbox-api.ts';

const sandbox = useSandbox(FAST_LABELERS);

afterEach(() => sandbox().setFaults(NO_FAULTS));

async function postFaults(body: unknown): Promise<Response> {
  return fetch(`${sandbox().origin}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'x-api-key': sandbox().options.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('fault injection', () => {
  it('answers every API request 500 or 503 at errorRate 1, and 429 with Retry-After at rateLimitRate 1', async () => {
    const api = await connect(sandbox());
    expect((await postFaults({ errorRate: 1 })).status).toBe(200);
    const statuses = new Set<number>();
    for (let i = 0; i < 20; i++) statuses.add((await api.call('GET', '/workflows')).status);
    expect([...statuses].every((status) => status === 500 || status === 503)).toBe(true);
    // The test endpoints are never faulted.
    expect(
      (await fetch(`${sandbox().origin}/__sandbox/stats`, { headers: { 'x-api-key': 'sandbox-api-key' } }))
        .status,
    ).toBe(200);

    await postFaults({ errorRate: 0, rateLimitRate: 1, retryAfterSeconds: 7 });
    const limited = await api.call('GET', '/workflows');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    await postFaults({ rateLimitRate: 0 });
    expect((await api.call('GET', '/workflows')).status).toBe(200);
    expect(sandbox().stats().injected.rateLimits).toBe(1);
  });

  it('rejects unknown or out-of-range fault settings with 422', async () => {
    expect((await postFaults({ errorRate: 2 })).status).toBe(422);
    expect((await postFaults({ explode: true })).status).toBe(422);
  });

  it('adds latency to every request', async () => {
    sandbox().setFaults({ latencyMs: 400 });
    const api = await connect(sandbox());
    const outcome = await api
      .call('GET', '/workflows', undefined, {})
      .then(() => 'answered')
      .catch(() => 'aborted');
    expect(outcome).toBe('answered');
    const early = await fetch(`${sandbox().baseUrl}/workflows`, {
      headers: api.headers,
      signal: AbortSignal.timeout(50),
    }).then(
      () => 'answered',
      () => 'aborted',
    );
    expect(early).toBe('aborted');
  });

  it('cuts signed-URL PUTs after N bytes and stores nothing of them', async () => {
    const api = await connect(sandbox());
    const asset = await api.json<{ id: string }>('POST', '/assets', {
      name: 'cut',
      fileName: 'cut.mp4',
      type: 'video',
    });
    const { url } = await api.json<{ url: string }>('POST', `/assets/${asset.id}/upload`);
    sandbox().setFaults({ putCutRate: 1, putCutAfterBytes: 64 * 1024 });
    const before = sandbox().stats();
    const cut = await fetch(url, { method: 'PUT', body: new Uint8Array(1024 * 1024) }).then(
      (response) => response.status,
      () => 'network error',
    );
    expect(cut).toBe('network error');
    const after = sandbox().stats();
    expect(after.putsCut).toBe(before.putsCut + 1);
    expect(after.bytesStored).toBe(before.bytesStored);
    sandbox().setFaults({ putCutRate: 0 });
    const retry = await fetch(url, { method: 'PUT', body: new Uint8Array(1024 * 1024) });
    expect(retry.status).toBe(200);
    expect(sandbox().stats().bytesStored).toBe(before.bytesStored + 1024 * 1024);
  });

  it('cuts export downloads after N bytes; a Range request then fetches only the remainder', async () => {
    const api = await connect(sandbox());
    const big = await uploadAsset(api, {
      name: 'big',
      fileName: 'big.jpg',
      type: 'image',
      content: randomBytes(500_000),
    });
    await labelAssets(api, SANDBOX_WORKFLOWS.image, [big.id]);
    const created = await api.json<{ id: string }>('POST', '/exports/record-result-exports', {
      fileType: 'zip',
      filename: 'cut.zip',
      workflowId: SANDBOX_WORKFLOWS.image,
    });
    await waitFor(async () => {
      const current = await api.json<{ status: string }>(
        'GET',
        `/exports/record-result-exports/${created.id}`,
      );
      return current.status === 'ready' ? true : undefined;
    });
    const location =
      (await api.call('GET', `/exports/record-result-exports/${created.id}/download`)).headers.get(
        'location',
      ) ?? '';
    sandbox().setFaults({ downloadCutRate: 1, downloadCutAfterBytes: 100_000 });
    const before = sandbox().stats().downloads;
    const first = await fetch(location);
    const size = Number(first.headers.get('content-length'));
    const reader = first.body?.getReader();
    let received = 0;
    let failed = false;
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        received += chunk.value.length;
      }
    } catch {
      failed = true;
    }
    expect({ failed, received, size }).toEqual({ failed: true, received: 100_000, size });
    expect(received).toBe(100_000);
    sandbox().setFaults({ downloadCutRate: 0 });
    const rest = await fetch(location, { headers: { range: `bytes=${received}-` } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${received}-${size - 1}/${size}`);
    expect((await rest.arrayBuffer()).byteLength).toBe(size - received);
    const after = sandbox().stats().downloads;
    expect(after.bytesServed - before.bytesServed).toBe(size);
    expect(after.rangeRequests - before.rangeRequests).toBe(1);
    expect(after.cut - before.cut).toBe(1);
  });

  it('goes offline (every connection dropped) and comes back', async () => {
    const api = await connect(sandbox());
    expect((await api.call('GET', '/workflows')).status).toBe(200);
    expect((await postFaults({ offline: true })).status).toBe(200);
    const offline = await api.call('GET', '/workflows').then(
      (response) => response.status,
      () => 'network error',
    );
    expect(offline).toBe('network error');
    // The test endpoints stay reachable so the switch can be turned off over HTTP.
    expect((await postFaults({ offline: false })).status).toBe(200);
    expect((await api.call('GET', '/workflows')).status).toBe(200);
  });
});

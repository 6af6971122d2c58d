/**
 * Every documented error of the tutorial, and bad input that must never crash the sandbox.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/seed.ts';
import { startSandbox } from '../../../sandbox/server.ts';
import { FAST_LABELERS, useSandbox } from '../../support/sandbox.ts';
import { connect } from './sandbox-api.ts';

const sandbox = useSandbox(FAST_LABELERS);
const javaMessage = (value: string) =>
  "Failed to convert value of type 'java.lang.String' to required type 'java.util.UUID'; " +
  `nested exception is java.lang.IllegalArgumentException: Invalid UUID string: ${value}`;

async function login(
  headers: Record<string, string>,
  body: unknown = { username: 'sandbox', password: 'sandbox' },
) {
  return fetch(`${sandbox().baseUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('API key', () => {
  it('answers 403 without or with a wrong x-api-key, on /login and everywhere else', async () => {
    expect((await login({})).status).toBe(403);
    expect((await login({ 'x-api-key': 'wrong' })).status).toBe(403);
    const api = await connect(sandbox());
    const noKey = await fetch(`${sandbox().baseUrl}/workflows`, {
      headers: { authorization: api.headers.authorization ?? '' },
    });
    expect(noKey.status).toBe(403);
    const unknownRoute = await fetch(`${sandbox().baseUrl}/nothing-here`);
    expect(unknownRoute.status).toBe(403);
    expect((await fetch(`${sandbox().origin}/__sandbox/stats`)).status).toBe(403);
  });

  it('can be rotated while running: the old key gets 403 at once, the new one works, tokens stay valid', async () => {
    const target = await startSandbox({ ...FAST_LABELERS, port: 0, apiKey: 'first-key' });
    try {
      const api = await connect(target);
      const rotate = (key: string, apiKey: unknown) =>
        fetch(`${target.origin}/__sandbox/api-key`, {
          method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json' },
          body: JSON.stringify({ apiKey }),
        });
      expect((await rotate('wrong', 'stolen-key')).status).toBe(403);
      expect((await rotate('first-key', '')).status).toBe(422);
      const rotated = await rotate('first-key', 'second-key');
      expect(rotated.status).toBe(204);
      expect(await rotated.text()).toBe('');
      // The token from before the rotation, sent with the old key: refused by the key check.
      expect((await api.call('GET', '/workflows')).status).toBe(403);
      const withNewKey = await fetch(`${target.baseUrl}/workflows`, {
        headers: { 'x-api-key': 'second-key', authorization: api.headers.authorization ?? '' },
      });
      expect(withNewKey.status).toBe(200);
      expect((await rotate('first-key', 'third-key')).status).toBe(403);
      target.setApiKey('first-key');
      expect((await api.call('GET', '/workflows')).status).toBe(200);
      expect(() => target.setApiKey('')).toThrow(/must not be empty/);
    } finally {
      await target.close();
    }
  });
});

describe('access token', () => {
  it('answers 401 with an empty body for a missing or wrong token', async () => {
    const key = { 'x-api-key': sandbox().options.apiKey };
    for (const headers of [
      key,
      { ...key, authorization: 'Bearer not-a-token' },
      { ...key, authorization: 'Basic x' },
    ]) {
      const response = await fetch(`${sandbox().baseUrl}/workflows`, { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
  });

  it('refuses wrong credentials at login and never lets a revoked token through', async () => {
    const wrong = await login(
      { 'x-api-key': sandbox().options.apiKey },
      { username: 'sandbox', password: 'nope' },
    );
    expect(wrong.status).toBe(401);
    const api = await connect(sandbox());
    expect((await api.call('GET', '/workflows')).status).toBe(200);
    sandbox().expireTokens();
    const after = await api.call('GET', '/workflows');
    expect(after.status).toBe(401);
    expect(await after.text()).toBe('');
  });
});

describe('ids in paths', () => {
  it('answers 422 with the Java-style message for a malformed UUID anywhere in a path', async () => {
    const api = await connect(sandbox());
    for (const path of [
      '/batches/not-a-uuid',
      '/batches/not-a-uuid/records',
      '/assets/123/upload',
      '/workflows/abc/batches',
    ]) {
      const response = await api.call('GET', path);
      if (path.endsWith('/upload')) expect(response.status).toBe(405);
      else {
        expect(response.status).toBe(422);
        const value = path.split('/')[2] ?? '';
        expect(await response.json()).toEqual({ message: javaMessage(value) });
      }
    }
    const post = await api.call('POST', '/assets/123/upload');
    expect(post.status).toBe(422);
    expect(((await post.json()) as { message: string }).message).toBe(javaMessage('123'));
  });

  it('matches ids case-insensitively, as UUID parsing does', async () => {
    const api = await connect(sandbox());
    const batch = await api.json<{ id: string }>(
      'POST',
      `/workflows/${SANDBOX_WORKFLOWS.image.toUpperCase()}/batches`,
      {
        name: 'upper',
      },
    );
    expect(await api.json('GET', `/batches/${batch.id.toUpperCase()}`)).toMatchObject({ id: batch.id });
  });

  it('answers 404 with a JSON message for an unknown id', async () => {
    const api = await connect(sandbox());
    const id = 'c226197c-17c5-4cc6-9529-0098ae771148';
    for (const path of [
      `/batches/${id}`,
      `/assets/${id}`,
      `/workflows/${id}/batches`,
      `/exports/record-result-exports/${id}`,
    ]) {
      const response = await api.call('GET', path);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { message: string }).message).toContain(id);
    }
  });
});

describe('record limits and validation', () => {
  it('answers 422 for more than 1,000 asset ids or records, and accepts exactly 1,000', async () => {
    const api = await connect(sandbox());
    const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.records}/batches`, {
      name: 'limits',
    });
    const ids = Array.from({ length: 1001 }, () => crypto.randomUUID());
    expect((await api.call('POST', `/batches/${batch.id}/records/assets`, { assetIds: ids })).status).toBe(
      422,
    );
    const records = Array.from({ length: 1001 }, (_, i) => ({ data: { field: `value ${i}` } }));
    expect((await api.call('POST', `/batches/${batch.id}/records/import`, records)).status).toBe(422);
    const ok = await api.call('POST', `/batches/${batch.id}/records/import`, records.slice(0, 1000));
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as unknown[]).length).toBe(1000);
  });

  it("rejects metadata inside data (the tutorial's invalid example) and non-string metadata", async () => {
    const api = await connect(sandbox());
    const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.records}/batches`, {
      name: 'meta',
    });
    const invalid = [{ data: { input_fieldname: 'this is my value', metadata: 'external_ID' } }];
    const response = await api.call('POST', `/batches/${batch.id}/records/import`, invalid);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toMatch(/metadata.*sibling of data/);
    const numeric = await api.call('POST', `/batches/${batch.id}/records/import`, [
      { data: {}, metadata: 7 },
    ]);
    expect(numeric.status).toBe(422);
    const valid = [{ data: { input_fieldname: 'this is my value' }, metadata: 'external_ID' }];
    const created = await api.call('POST', `/batches/${batch.id}/records/import`, valid);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject([
      { data: valid[0]?.data, metadata: 'external_ID', status: 'queued' },
    ]);
  });

  it('reports unknown and unclosed assets in assetValidationErrors; a session closed without a file is upload-error', async () => {
    const api = await connect(sandbox());
    const open = await api.json<{ id: string }>('POST', '/assets', {
      name: 'open',
      fileName: 'open.jpg',
      type: 'image',
    });
    const empty = await api.json<{ id: string }>('POST', '/assets', {
      name: 'empty',
      fileName: 'empty.jpg',
      type: 'image',
    });
    await api.json('POST', `/assets/${empty.id}/upload`);
    expect((await api.call('DELETE', `/assets/${empty.id}/upload`)).status).toBe(204);
    expect(await api.json('GET', `/assets/${empty.id}`)).toMatchObject({ status: 'upload-error' });
    const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.image}/batches`, {
      name: 'v',
    });
    const unknown = crypto.randomUUID();
    const result = await api.json<{ created: unknown[]; assetValidationErrors: { assetId: string }[] }>(
      'POST',
      `/batches/${batch.id}/records/assets`,
      { assetIds: [open.id, empty.id, unknown] },
    );
    expect(result.created).toEqual([]);
    expect(result.assetValidationErrors.map((e) => e.assetId)).toEqual([open.id, empty.id, unknown]);
  });
});

describe('bad input never crashes the server', () => {
  it('answers malformed JSON, wrong types, huge bodies and unknown routes with clear errors', async () => {
    const api = await connect(sandbox());
    const malformed = await fetch(`${sandbox().baseUrl}/assets`, {
      method: 'POST',
      headers: { ...api.headers, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/JSON/);

    const wrongType = await api.call('POST', '/assets', { name: 5, type: 'image', fileName: 'x.jpg' });
    expect(wrongType.status).toBe(422);
    expect(((await wrongType.json()) as { message: string }).message).toMatch(/name/);
    expect(
      (
        await api.call('POST', `/workflows/${SANDBOX_WORKFLOWS.image}/batches`, {
          name: 'x',
          isEnabled: 'yes',
        })
      ).status,
    ).toBe(422);
    expect((await api.call('POST', '/exports/record-result-exports', { fileType: 'rar' })).status).toBe(422);
    expect((await api.call('POST', '/login', [])).status).toBe(422);

    const hugeBody = `[${'"x",'.repeat(3_000_000)}"x"]`;
    const huge = await fetch(`${sandbox().baseUrl}/login`, {
      method: 'POST',
      headers: { ...api.headers, 'content-type': 'application/json' },
      body: hugeBody,
    });
    expect(huge.status).toBe(413);
    // The same without a declared length (chunked): the limit applies while reading.
    const chunks = [Buffer.from('['), Buffer.from('"y",'.repeat(3_000_000)), Buffer.from('"y"]')];
    const chunked = await fetch(`${sandbox().baseUrl}/login`, {
      method: 'POST',
      headers: { ...api.headers, 'content-type': 'application/json' },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(new Uint8Array(next));
          else controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error);
    // A chunked sender may see the connection close before it reads the answer; either way, no crash.
    if (chunked instanceof Response) expect(chunked.status).toBe(413);

    const unknown = await api.call('GET', '/no/such/route');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toContain('/v1/no/such/route');
    expect((await api.call('PATCH', '/workflows')).status).toBe(405);

    // Still serving.
    expect((await api.call('GET', '/workflows')).status).toBe(200);
  });
});

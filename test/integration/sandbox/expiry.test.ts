/**
 * Token and URL expiry with short TTLs: an expired token gets an empty 401, an expired or tampered storage URL
 * gets 403 with S3's XML AccessDenied.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/seed.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { connect, labelAssets, readyExportUrl, uploadAsset } from './sandbox-api.ts';

const sandbox = useSandbox({
  tokenTtl: 1,
  signedUrlTtl: 1,
  downloadUrlTtl: 1,
  taskSeconds: 0,
  exceptionRate: 0,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('expiry', () => {
  it('reports expires_in and refuses the token once it has expired', async () => {
    const login = await fetch(`${sandbox().baseUrl}/login`, {
      method: 'POST',
      headers: { 'x-api-key': sandbox().options.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sandbox', password: 'sandbox' }),
    });
    const body = (await login.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(body.expires_in).toBe(1);
    expect(body.token_type).toBe('bearer');
    const headers = { 'x-api-key': sandbox().options.apiKey, authorization: `Bearer ${body.access_token}` };
    expect((await fetch(`${sandbox().baseUrl}/workflows`, { headers })).status).toBe(200);
    await sleep(1100);
    const expired = await fetch(`${sandbox().baseUrl}/workflows`, { headers });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toBe('');
  });

  it('refuses an expired or tampered upload URL with S3 AccessDenied XML', async () => {
    const api = await connect(sandbox());
    const asset = await api.json<{ id: string }>('POST', '/assets', {
      name: 'late',
      fileName: 'late.jpg',
      type: 'image',
    });
    const { url } = await api.json<{ url: string }>('POST', `/assets/${asset.id}/upload`);
    const tampered = url.replace(/Signature=([^&])/, (_, c: string) => `Signature=${c === 'A' ? 'B' : 'A'}`);
    const bad = await fetch(tampered, { method: 'PUT', body: Buffer.from('data') });
    expect(bad.status).toBe(403);
    expect(await bad.text()).toMatch(/<Code>AccessDenied<\/Code>/);
    const otherAsset = url.replace(asset.id, crypto.randomUUID());
    expect((await fetch(otherAsset, { method: 'PUT', body: Buffer.from('data') })).status).toBe(403);
    const longer = url.replace(/Expires=(\d+)/, (_, n: string) => `Expires=${Number(n) + 3600}`);
    expect((await fetch(longer, { method: 'PUT', body: Buffer.from('data') })).status).toBe(403);
    await sleep(1100);
    const late = await fetch(url, { method: 'PUT', body: Buffer.from('data') });
    expect(late.status).toBe(403);
    expect(await late.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    expect(sandbox().stats().putsCompleted).toBe(0);
  });

  it('refuses an export download URL after download-url-ttl', async () => {
    const api = await connect(sandbox());
    const asset = await uploadAsset(api, {
      name: 'e',
      fileName: 'e.jpg',
      type: 'image',
      content: Buffer.from('jpeg'),
    });
    await labelAssets(api, SANDBOX_WORKFLOWS.image, [asset.id]);
    const location = await readyExportUrl(api, {
      fileType: 'json',
      filename: 'e.json',
      workflowId: SANDBOX_WORKFLOWS.image,
    });
    expect((await fetch(location, { method: 'HEAD' })).status).toBe(200);
    await sleep(1100);
    const late = await fetch(location);
    expect(late.status).toBe(403);
    expect(await late.text()).toMatch(/AccessDenied/);
  });
});

/**
 * Plain-fetch helpers for the sandbox conformance tests (they test the sandbox itself, so no client library).
 */
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import type { RunningSandbox } from '../../../sandbox/server.ts';
import { sandboxAuthHeaders } from '../../support/sandbox.ts';

export interface Api {
  headers: Record<string, string>;
  call(method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<Response>;
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

/** Logs in and returns helpers bound to the sandbox's base URL. */
export async function connect(sandbox: RunningSandbox): Promise<Api> {
  const headers = await sandboxAuthHeaders(sandbox);
  const call = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    fetch(`${sandbox.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...extra,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await call(method, path, body);
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return { headers, call, json };
}

/** Registers, uploads and closes one asset; returns its id. */
export async function uploadAsset(
  api: Api,
  options: { name: string; fileName: string; type: string; content: Buffer },
): Promise<{ id: string; etag: string; md5: string }> {
  const asset = await api.json<{ id: string }>('POST', '/assets', {
    name: options.name,
    fileName: options.fileName,
    type: options.type,
  });
  const { url } = await api.json<{ url: string }>('POST', `/assets/${asset.id}/upload`);
  const put = await fetch(url, { method: 'PUT', body: new Uint8Array(options.content) });
  if (put.status !== 200) throw new Error(`PUT failed: ${put.status}`);
  const closed = await api.call('DELETE', `/assets/${asset.id}/upload`);
  if (closed.status !== 204) throw new Error(`close failed: ${closed.status}`);
  return {
    id: asset.id,
    etag: put.headers.get('etag') ?? '',
    md5: createHash('md5').update(options.content).digest('hex'),
  };
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` (generous: a loaded CI machine is slow, and a pass returns at once). */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Puts assets into a new enabled batch and waits until every record has a result; returns the batch id. */
export async function labelAssets(api: Api, workflowId: string, assetIds: string[]): Promise<string> {
  const batch = await api.json<{ id: string }>('POST', `/workflows/${workflowId}/batches`, {
    name: `batch ${Date.now()}`,
    isEnabled: true,
  });
  await api.json('POST', `/batches/${batch.id}/records/assets`, { assetIds });
  await waitFor(async () => {
    const response = await api.call('GET', `/batches/${batch.id}/results?page=1&pageSize=1`);
    return response.headers.get('x-total-count') === String(assetIds.length) ? true : undefined;
  });
  return batch.id;
}

/** Creates an export, waits until it is ready and returns its signed download URL (the redirect's location). */
export async function readyExportUrl(api: Api, body: Record<string, unknown>): Promise<string> {
  const created = await api.json<{ id: string }>('POST', '/exports/record-result-exports', body);
  await waitFor(async () => {
    const current = await api.json<{ status: string }>('GET', `/exports/record-result-exports/${created.id}`);
    return current.status === 'ready' ? true : undefined;
  });
  const redirect = await api.call('GET', `/exports/record-result-exports/${created.id}/download`);
  return redirect.headers.get('location') ?? '';
}

/** Every entry of a zip file, by name. */
export function zipEntries(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

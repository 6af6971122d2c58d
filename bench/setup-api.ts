/**
 * The few API calls the bench makes outside the timed runs: preparing a signed URL for the floor, preparing an
 * export, and checking afterwards that every contender really delivered (records counted in its batch).
 */
import { SANDBOX_CREDENTIALS } from './sandbox-process.ts';

/** A logged-in view of one sandbox, for setup and verification. */
export interface SetupApi {
  createBatch(workflowId: string, name: string, isEnabled: boolean): Promise<string>;
  /** Registers an asset and opens its upload session; returns its id and the signed PUT URL. */
  prepareUpload(body: Record<string, unknown>): Promise<{ assetId: string; url: string }>;
  closeUpload(assetId: string): Promise<void>;
  /** Deletes assets, and with them the files the sandbox stored for them. */
  deleteAssets(assetIds: readonly string[]): Promise<void>;
  /** The assets a batch's records were made from (its first 1,000 records: the bench's large-file batches hold one). */
  assetIdsInBatch(batchId: string): Promise<string[]>;
  addRecords(batchId: string, assetIds: readonly string[]): Promise<void>;
  /** Finds a batch of a workflow by name (the engine creates its own). */
  batchIdByName(workflowId: string, name: string): Promise<string | null>;
  /** Input records in a batch (X-Total-Count). */
  recordCount(batchId: string): Promise<number>;
  /** Results of a batch (X-Total-Count). */
  resultCount(batchId: string): Promise<number>;
  createExport(workflowId: string, batchIds: readonly string[], filename: string): Promise<string>;
  exportStatus(exportId: string): Promise<string>;
  /** The export's signed storage URL (the `location` of the download redirect). */
  exportDownloadUrl(exportId: string): Promise<string>;
  /** The sandbox's counters (`GET /__sandbox/stats`). */
  stats(): Promise<Record<string, unknown>>;
}

/** Logs in to the sandbox at `baseUrl` and returns the setup calls. */
export async function connectSetupApi(baseUrl: string, origin: string): Promise<SetupApi> {
  const keyHeader = { 'x-api-key': SANDBOX_CREDENTIALS.apiKey };
  const login = await call(`${baseUrl}/login`, {
    method: 'POST',
    headers: { ...keyHeader, 'content-type': 'application/json' },
    body: JSON.stringify({ username: SANDBOX_CREDENTIALS.username, password: SANDBOX_CREDENTIALS.password }),
  });
  const token = ((await login.json()) as { access_token: string }).access_token;
  const headers = { ...keyHeader, authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const json = async <T>(path: string, init: RequestInit = {}): Promise<T> =>
    (await (await call(`${baseUrl}${path}`, { headers, ...init })).json()) as T;
  const total = async (path: string): Promise<number> => {
    const response = await call(`${baseUrl}${path}`, { headers });
    await response.arrayBuffer();
    return Number(response.headers.get('x-total-count') ?? 'NaN');
  };

  return {
    createBatch: async (workflowId, name, isEnabled) =>
      (
        await json<{ id: string }>(`/workflows/${workflowId}/batches`, {
          method: 'POST',
          body: JSON.stringify({ name, isEnabled }),
        })
      ).id,
    prepareUpload: async (body) => {
      const asset = await json<{ id: string }>('/assets', { method: 'POST', body: JSON.stringify(body) });
      const session = await json<{ url: string }>(`/assets/${asset.id}/upload`, { method: 'POST' });
      return { assetId: asset.id, url: session.url };
    },
    closeUpload: async (assetId) => {
      await call(`${baseUrl}/assets/${assetId}/upload`, { method: 'DELETE', headers });
    },
    deleteAssets: async (assetIds) => {
      for (const assetId of assetIds)
        await call(`${baseUrl}/assets/${assetId}`, { method: 'DELETE', headers });
    },
    assetIdsInBatch: async (batchId) => {
      const records = await json<{ assetId: string | null }[]>(
        `/batches/${batchId}/records?page=1&pageSize=1000`,
      );
      return records.flatMap((record) => (record.assetId ? [record.assetId] : []));
    },
    addRecords: async (batchId, assetIds) => {
      await json(`/batches/${batchId}/records/assets`, {
        method: 'POST',
        body: JSON.stringify({ assetIds }),
      });
    },
    batchIdByName: async (workflowId, name) => {
      for (let page = 1; ; page++) {
        const batches = await json<{ id: string; name: string }[]>(
          `/workflows/${workflowId}/batches?page=${page}&pageSize=100`,
        );
        const found = batches.find((batch) => batch.name === name);
        if (found) return found.id;
        if (batches.length < 100) return null;
      }
    },
    recordCount: (batchId) => total(`/batches/${batchId}/records?page=1&pageSize=1`),
    resultCount: (batchId) => total(`/batches/${batchId}/results?page=1&pageSize=1`),
    createExport: async (workflowId, batchIds, filename) =>
      (
        await json<{ id: string }>('/exports/record-result-exports', {
          method: 'POST',
          body: JSON.stringify({ fileType: 'zip', filename, workflowId, batchIds }),
        })
      ).id,
    exportStatus: async (exportId) =>
      (await json<{ status: string }>(`/exports/record-result-exports/${exportId}`)).status,
    exportDownloadUrl: async (exportId) => {
      const response = await call(`${baseUrl}/exports/record-result-exports/${exportId}/download`, {
        headers,
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (!location) throw new Error(`the export download answered ${response.status} without a location`);
      return location;
    },
    stats: async () =>
      (await (await call(`${origin}/__sandbox/stats`, { headers: keyHeader })).json()) as Record<
        string,
        unknown
      >,
  };
}

/** fetch that turns an HTTP error into an exception naming the path (never the query, which may be signed). */
async function call(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (response.status >= 400) {
    const text = await response.text().catch(() => '');
    throw new Error(
      `${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 200)}`,
    );
  }
  return response;
}

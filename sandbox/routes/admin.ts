/**
 * Test-only endpoints under `/__sandbox/` (API key required, no token): stats, fault injection, labeler
 * settings, API key rotation, token revocation, and removing a record or an asset behind the uploader's back (what
 * a colleague or a cleanup script on the platform may do), for `verify` to find.
 */
import { z } from 'zod';
import type { Route } from '../app.ts';
import { FaultSettingsPatch, LabelerSettingsPatch } from '../faults.ts';
import { notFound, readJson, sendEmpty, sendJson, validate } from '../http.ts';
import { collectStats } from '../stats.ts';

/** The body of `POST /__sandbox/api-key`. */
const ApiKeyChange = z.strictObject({ apiKey: z.string().min(1).max(512) });

/** Test-only routes. */
export const adminRoutes: Route[] = [
  {
    method: 'GET',
    path: '/__sandbox/stats',
    auth: 'key',
    handler: ({ app, res }) => sendJson(res, 200, collectStats(app)),
  },
  {
    method: 'GET',
    path: '/__sandbox/faults',
    auth: 'key',
    handler: ({ app, res }) => sendJson(res, 200, app.faults),
  },
  {
    method: 'POST',
    path: '/__sandbox/faults',
    auth: 'key',
    handler: async ({ app, req, res }) => {
      const patch = validate(FaultSettingsPatch, await readJson(req));
      // Answer first: going offline destroys this very connection.
      const next = { ...app.faults, ...patch };
      sendJson(res, 200, next);
      res.once('finish', () => app.setFaults(patch));
    },
  },
  {
    method: 'GET',
    path: '/__sandbox/labelers',
    auth: 'key',
    handler: ({ app, res }) => sendJson(res, 200, app.labelerSettings),
  },
  {
    method: 'POST',
    path: '/__sandbox/labelers',
    auth: 'key',
    handler: async ({ app, req, res }) => {
      const patch = validate(LabelerSettingsPatch, await readJson(req));
      Object.assign(app.labelerSettings, patch);
      app.wakeLabelers();
      sendJson(res, 200, app.labelerSettings);
    },
  },
  {
    method: 'POST',
    path: '/__sandbox/api-key',
    auth: 'key',
    handler: async ({ app, req, res }) => {
      const { apiKey } = validate(ApiKeyChange, await readJson(req));
      app.apiKey = apiKey;
      // The new key is never echoed back: answering 204 keeps it out of any response log.
      sendEmpty(res, 204);
    },
  },
  {
    method: 'POST',
    path: '/__sandbox/tokens/expire',
    auth: 'key',
    handler: ({ app, res }) => {
      app.state.tokens.clear();
      sendEmpty(res, 204);
    },
  },
  {
    method: 'DELETE',
    path: '/__sandbox/records/:recordId',
    auth: 'key',
    handler: ({ app, res, params }) => {
      const record = app.state.records.get(params.recordId ?? '');
      if (!record) throw notFound('record', params.recordId ?? '');
      app.state.records.delete(record.id);
      const inBatch = app.state.recordsByBatch.get(record.batchId) ?? [];
      app.state.recordsByBatch.set(
        record.batchId,
        inBatch.filter((other) => other.id !== record.id),
      );
      sendEmpty(res, 204);
    },
  },
  {
    method: 'DELETE',
    path: '/__sandbox/assets/:assetId',
    auth: 'key',
    handler: ({ app, res, params }) => {
      if (!app.state.assets.delete(params.assetId ?? '')) throw notFound('asset', params.assetId ?? '');
      sendEmpty(res, 204);
    },
  },
];

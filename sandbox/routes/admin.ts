/**
 * Test-only endpoints under `/__sandbox/` (API key required, no token): stats, fault injection, labeler
 * settings, and token revocation.
 */
import type { Route } from '../app.ts';
import { FaultSettingsPatch, LabelerSettingsPatch } from '../faults.ts';
import { readJson, sendEmpty, sendJson, validate } from '../http.ts';
import { collectStats } from '../stats.ts';

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
    path: '/__sandbox/tokens/expire',
    auth: 'key',
    handler: ({ app, res }) => {
      app.state.tokens.clear();
      sendEmpty(res, 204);
    },
  },
];

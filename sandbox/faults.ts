/**
 * Fault injection: validation of fault settings, and the per-request decision to answer `429` or `5xx` instead
 * of serving. Cuts of PUTs and downloads live in storage.ts; "offline" lives with the connections in server.ts.
 */
import { z } from 'zod';
import type { SandboxApp } from './app.ts';
import { HttpError } from './http.ts';
import type { FaultSettings, LabelerSettings } from './options.ts';

const share = z.number().min(0).max(1);
const count = z.number().int().min(0);

/** A partial update of the fault settings (`POST /__sandbox/faults`). */
export const FaultSettingsPatch = z.strictObject({
  putCutRate: share.optional(),
  putCutAfterBytes: count.optional(),
  downloadCutRate: share.optional(),
  downloadCutAfterBytes: count.optional(),
  errorRate: share.optional(),
  rateLimitRate: share.optional(),
  retryAfterSeconds: count.optional(),
  latencyMs: count.optional(),
  offline: z.boolean().optional(),
}) satisfies z.ZodType<Partial<FaultSettings>>;

/** A partial update of the labeler settings (`POST /__sandbox/labelers`). */
export const LabelerSettingsPatch = z.strictObject({
  taskSeconds: z.number().min(0).optional(),
  exceptionRate: share.optional(),
  cancelRate: share.optional(),
  unresolvedExceptionRate: share.optional(),
  enabled: z.boolean().optional(),
  workers: z.number().int().min(1).nullable().optional(),
}) satisfies z.ZodType<Partial<LabelerSettings>>;

/** The injected failure for this API request, if the dice say so. */
export function injectedFailure(app: SandboxApp): HttpError | null {
  const { errorRate, rateLimitRate, retryAfterSeconds } = app.faults;
  if (rateLimitRate > 0 && app.random() < rateLimitRate) {
    app.state.counters.injectedRateLimits++;
    return new HttpError(429, 'Too Many Requests', { 'retry-after': String(retryAfterSeconds) });
  }
  if (errorRate > 0 && app.random() < errorRate) {
    app.state.counters.injectedErrors++;
    return app.random() < 0.5
      ? new HttpError(500, 'Internal Server Error')
      : new HttpError(503, 'Service Unavailable');
  }
  return null;
}

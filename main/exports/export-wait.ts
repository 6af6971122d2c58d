/**
 * Waiting for the platform to generate an export: status checks at waits that grow with the time waited, until it
 * is ready, fails, or takes longer than the timeout (the job then stays resumable).
 */
import type { RecordResultExport } from '../../common/alegion.ts';
import { ExportError, ExportFailedError } from './export-errors.ts';
import type { AlegionClient } from '../alegion/types.ts';

export interface ExportPollOptions {
  /**
   * Waits between status checks: `lateShare` of the time waited so far (default 0.05), never less than `initialMs`
   * (default 250) nor more than `maxMs` (default 5 000). A ready export is found at most one wait late, so a short
   * export is found within a quarter of a second and a long one costs few requests; failed checks back off in the
   * API client.
   */
  initialMs: number;
  maxMs: number;
  lateShare: number;
  /** Give up waiting after this long (ms, default 30 minutes); the job stays resumable. */
  timeoutMs: number;
}

const READY = new Set(['ready', 'downloaded']);
/** Statuses that mean "still generating"; anything else that is not ready is a failure. */
const PENDING = new Set(['in-progress', 'pending', 'queued', 'processing', 'generating', 'created']);

interface ExportWaitContext {
  client: Pick<AlegionClient, 'getExport'>;
  poll: ExportPollOptions;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told after every check that found the export still generating. */
  onWaiting: (exportId: string, status: string, waitedMs: number) => void;
}

/** Resolves with the export once it is ready; throws when it failed or the wait timed out. */
export async function waitUntilReady(
  context: ExportWaitContext,
  exportId: string,
  signal?: AbortSignal,
): Promise<RecordResultExport> {
  const { client, poll } = context;
  const started = context.now();
  for (;;) {
    const current = await client.getExport(exportId);
    if (READY.has(current.status)) return current;
    if (!PENDING.has(current.status)) throw new ExportFailedError(exportId, current.status);
    const waitedMs = context.now() - started;
    context.onWaiting(exportId, current.status, waitedMs);
    if (waitedMs >= poll.timeoutMs) {
      throw new ExportError(
        'export-timeout',
        `export ${exportId} is still "${current.status}" after ${Math.round(waitedMs / 60_000)} min; rerun to keep waiting`,
      );
    }
    await context.sleep(Math.min(poll.maxMs, Math.max(poll.initialMs, waitedMs * poll.lateShare)), signal);
  }
}

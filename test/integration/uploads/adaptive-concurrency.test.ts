/**
 * The adaptive concurrency against a sandbox 40 ms away, counted at the sandbox: with the default limits the
 * queue grows past what the old fixed limits could ever have in flight (4 PUTs and 8 API calls), and once the
 * sandbox answers 429 to half the API calls it narrows to a few requests (at a fixed limit, the quick retries of
 * the refused calls would keep as many in flight as before); every file is still uploaded once.
 */
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createAlegionClient } from '../../../main/alegion/client.ts';
import { createUploadService } from '../../../main/uploads/upload-service.ts';
import type { UploadService } from '../../../main/uploads/upload-service.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { sandboxConnection, useSandbox } from '../../support/sandbox.ts';
import { until } from '../../support/until.ts';
import { settled, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 7, faults: { latencyMs: 40 } });
/** The most requests the old fixed limits allowed at once: 4 PUTs and 8 API calls. */
const FIXED_MOST = 12;

/** Samples the sandbox's requests in flight every 10 ms until stopped. */
function watchInFlight(): { samples: { at: number; inFlight: number }[]; stop: () => void } {
  const samples: { at: number; inFlight: number }[] = [];
  const timer = setInterval(() => {
    samples.push({ at: performance.now(), inFlight: sandbox().stats().inFlight });
  }, 10);
  return { samples, stop: () => clearInterval(timer) };
}

describe('adaptive upload concurrency', () => {
  it('grows past the old fixed limits on a slow link, and narrows when the API answers 429', async () => {
    const dir = tempDir('adaptive-');
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    writeImages(first, 120);
    writeImages(second, 80);
    const client = createAlegionClient({
      ...sandboxConnection(sandbox()),
      baseBackoffMs: 20,
      maxBackoffMs: 200,
      timeoutMs: 10_000,
      // The service is made below; the client reports only once requests go out.
      onEvent: (event) => service.clientEvent(event),
    });
    const service: UploadService = createUploadService({
      client,
      stateDir: tempDir('adaptive-state-'),
      runner: { lingerMs: 100, retryBaseMs: 50, retryMaxMs: 500, concurrencyIntervalMs: 150 },
    });
    const target = { workflowId: SANDBOX_WORKFLOWS.image, newBatch: { name: 'adaptive', isEnabled: false } };
    const watch = watchInFlight();
    service.start();
    try {
      await service.addPaths([first], target);
      await settled(service, 60_000);
      const grown = Math.max(...watch.samples.map((sample) => sample.inFlight));
      expect(grown).toBeGreaterThan(FIXED_MOST);

      // Half the API calls refused with 429 (retry at once): the window halves sample after sample.
      await service.addPaths([second], target);
      await until(
        () => sandbox().stats().inFlight,
        (inFlight) => inFlight > FIXED_MOST,
        'the queue to be under way again',
      );
      sandbox().setFaults({ rateLimitRate: 0.5, retryAfterSeconds: 0 });
      const limitedAt = performance.now();
      await delay(2000);
      const late = watch.samples.filter((sample) => sample.at > limitedAt + 1200);
      expect(late.length).toBeGreaterThan(10);
      // One PUT and four more items under way (each in one request), and a records post: far below the peak.
      const narrowed = Math.max(...late.map((sample) => sample.inFlight));
      expect(narrowed).toBeLessThanOrEqual(8);
      expect(narrowed).toBeLessThan(grown / 2);
      expect(sandbox().stats().injected.rateLimits).toBeGreaterThan(0);

      sandbox().setFaults({ rateLimitRate: 0 });
      await settled(service, 60_000);
      expect(service.totals().files).toMatchObject({ done: 200, failed: 0 });
      const stats = sandbox().stats();
      expect(stats.duplicateAssets).toBe(0);
      expect(stats.duplicateRecords).toBe(0);
      expect(stats.records).toBe(200);
    } finally {
      watch.stop();
      sandbox().setFaults({ rateLimitRate: 0 });
      await service.stop();
      client.close();
    }
  });
});

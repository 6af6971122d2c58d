/**
 * Closed assets wait a moment for company before their records are posted (a request carries up to 1,000), but
 * not once the last file of an existing batch has closed: then nothing can join them, and waiting would only delay
 * the end of the upload. The linger is set far beyond the test's own time limit, so only that rule can post them.
 * (A new batch's first records still wait the linger: whoever follows the batch sees it empty first.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 29 });
const LINGER_MS = 10 * 60_000;

describe('records of the last files', () => {
  it('are posted as soon as the last file closes, together in one request', async () => {
    const folder = join(tempDir('records-end-'), 'files');
    writeImages(folder, 6);
    const { service, client } = serviceFor(sandbox(), tempDir('state-'), {
      runner: { lingerMs: LINGER_MS, retryBaseMs: 100, retryMaxMs: 1000 },
    });
    service.start();
    const before = sandbox().stats().requestsByRoute;
    try {
      const batch = await client.createBatch(SANDBOX_WORKFLOWS.image, {
        name: 'records at the end',
        isEnabled: false,
      });
      await service.addPaths([folder], { workflowId: SANDBOX_WORKFLOWS.image, batchId: batch.id });
      await settled(service, 20_000);
      expect(service.totals().files.done).toBe(6);
      const stats = sandbox().stats();
      expect(stats.records).toBe(6);
      expect(stats.duplicateRecords).toBe(0);
      const posts = Object.entries(stats.requestsByRoute)
        .filter(([route]) => /records\/assets/.test(route))
        .reduce((sum, [route, count]) => sum + count - (before[route] ?? 0), 0);
      expect(posts).toBe(1);
    } finally {
      await service.stop();
      client.close();
    }
  }, 30_000);
});

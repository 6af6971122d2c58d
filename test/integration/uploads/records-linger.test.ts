/**
 * While files keep closing, their records are gathered by the linger: a chunk short of 1,000 takes all that is
 * ready, and the next one waits the linger again. Posting the next chunk as soon as the last was answered sent one
 * small request (and one count) per round trip for as long as files closed: 2,000 files in 43 chunks.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 41, faults: { latencyMs: 25 } });
const LINGER_MS = 400;
const FILES = 80;

function recordPosts(byRoute: Record<string, number>, before: Record<string, number>): number {
  return Object.entries(byRoute)
    .filter(([route]) => /records\/assets/.test(route))
    .reduce((sum, [route, count]) => sum + count - (before[route] ?? 0), 0);
}

describe('records while files keep closing', () => {
  it('go out about once per linger, not once per round trip', async () => {
    const folder = join(tempDir('records-linger-'), 'files');
    writeImages(folder, FILES);
    // One PUT at a time, each 25 ms away: 80 files take at least 2 s, so they close one by one over several lingers.
    const { service, client } = serviceFor(sandbox(), tempDir('state-'), {
      limits: { concurrency: 2, putConcurrency: 1 },
      runner: { lingerMs: LINGER_MS, retryBaseMs: 100, retryMaxMs: 1000 },
    });
    service.start();
    const before = sandbox().stats().requestsByRoute;
    const started = Date.now();
    try {
      const batch = await client.createBatch(SANDBOX_WORKFLOWS.image, { name: 'linger', isEnabled: false });
      await service.addPaths([folder], { workflowId: SANDBOX_WORKFLOWS.image, batchId: batch.id });
      await settled(service, 60_000);
      const seconds = (Date.now() - started) / 1000;
      expect(service.totals().files.done).toBe(FILES);
      const stats = sandbox().stats();
      expect(stats.records).toBe(FILES);
      expect(stats.duplicateRecords).toBe(0);
      const posts = recordPosts(stats.requestsByRoute, before);
      // The uploads must have spanned several lingers for the count to say anything.
      expect(seconds * 1000).toBeGreaterThan(3 * LINGER_MS);
      // One post per linger the run lasted, one at the end, and one for a linger cut short by the last file.
      expect(posts).toBeGreaterThan(1);
      expect(posts).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / LINGER_MS) + 2);
    } finally {
      await service.stop();
      client.close();
    }
  }, 90_000);
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({
  labelers: false,
  seed: 5,
  tokenTtl: 3,
  signedUrlTtl: 2,
  faults: {
    putCutRate: 0.1,
    putCutAfterBytes: 4096,
    errorRate: 0.05,
    rateLimitRate: 0.02,
    retryAfterSeconds: 1,
  },
});

describe('under injected faults', () => {
  it('completes every file with no duplicates: 10% PUTs cut, 5% 5xx, 2% 429, 3 s tokens, 2 s signed URLs', async () => {
    const folder = join(tempDir('faults-'), 'files');
    writeImages(folder, 120, 32 * 1024);
    const { service, client } = serviceFor(sandbox(), tempDir('state-'));
    service.start();
    try {
      const run = service.openRun('faults');
      service.focusRun(run.id);
      await service.addPaths(
        [folder],
        { workflowId: SANDBOX_WORKFLOWS.image, newBatch: { name: 'faults', isEnabled: false } },
        { runId: run.id },
      );
      await settled(service, 110_000);
      const failed = service.list({ groups: ['failed'] }).items.map((i) => `${i.name}: ${i.error}`);
      expect(failed).toEqual([]);
      expect(service.totals().files.done).toBe(120);
      const stats = sandbox().stats();
      expect(stats.putsCut).toBeGreaterThan(0);
      expect(stats.injected.errors + stats.injected.rateLimits).toBeGreaterThan(0);
      expect(stats.duplicateAssets).toBe(0);
      expect(stats.duplicateRecords).toBe(0);
      expect(stats.assets).toBe(120);
      expect(stats.records).toBe(120);
      console.log(
        `faults: ${stats.putsCut} PUTs cut, ${stats.injected.errors} 5xx, ${stats.injected.rateLimits} 429, ${stats.logins} logins`,
      );
    } finally {
      await service.stop();
      client.close();
    }
  });
});

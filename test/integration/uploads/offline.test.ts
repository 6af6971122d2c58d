import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import type { QueueMode } from '../../../common/api.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 3, faults: { latencyMs: 20 } });

describe('offline', () => {
  it('reports offline while the network is gone, resumes by itself when it returns, and completes', async () => {
    const folder = join(tempDir('offline-'), 'files');
    writeImages(folder, 150, 16 * 1024);
    const { service, client } = serviceFor(sandbox(), tempDir('state-'));
    const modes: { mode: QueueMode; at: number }[] = [];
    service.on('queueProgress', (snapshot) => {
      if (modes.at(-1)?.mode !== snapshot.totals.mode)
        modes.push({ mode: snapshot.totals.mode, at: Date.now() });
    });
    service.start();
    try {
      const run = service.openRun('offline');
      service.focusRun(run.id);
      await service.addPaths(
        [folder],
        { workflowId: SANDBOX_WORKFLOWS.image, newBatch: { name: 'offline', isEnabled: false } },
        { runId: run.id },
      );
      while (service.totals().files.done < 10) await new Promise((resolve) => setTimeout(resolve, 50));
      sandbox().setFaults({ offline: true });
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      expect(service.mode).toBe('offline');
      const doneWhileOffline = service.totals().files.done;
      sandbox().setFaults({ offline: false });
      const backOnline = Date.now();
      while (service.mode !== 'running') await new Promise((resolve) => setTimeout(resolve, 50));
      const resumedAfterMs = Date.now() - backOnline;
      await settled(service, 100_000);

      expect(modes.map((m) => m.mode)).toEqual(expect.arrayContaining(['running', 'offline']));
      expect(modes.at(-1)?.mode).toBe('running');
      expect(service.totals().files).toMatchObject({ done: 150, failed: 0 });
      expect(doneWhileOffline).toBeLessThan(150);
      const stats = sandbox().stats();
      expect(stats.duplicateAssets).toBe(0);
      expect(stats.duplicateRecords).toBe(0);
      expect(stats.records).toBe(150);
      console.log(`offline: resumed ${resumedAfterMs} ms after the network came back`);
    } finally {
      await service.stop();
      client.close();
    }
  });
});

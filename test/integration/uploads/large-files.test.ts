/**
 * Files large enough to be read and hashed in the hashing worker, through the engine against the sandbox, with half
 * of the PUTs cut midway: every file still arrives once, its MD5 (computed in the worker, over buffers reused once
 * the socket has sent them) matching both the intake hash and the storage ETag.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_MIN_BYTES } from '../../../main/uploads/steps/transfer-stream.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const FILE_BYTES = WORKER_MIN_BYTES + 2 * 1024 * 1024 + 4321;

const sandbox = useSandbox({
  labelers: false,
  seed: 11,
  faults: { putCutRate: 0.5, putCutAfterBytes: 3 * 1024 * 1024 },
});

describe('large files', () => {
  it('arrive whole and verified although half of their PUTs are cut midway', async () => {
    const folder = join(tempDir('large-files-'), 'files');
    writeImages(folder, 4, FILE_BYTES);
    const { service, client } = serviceFor(sandbox(), tempDir('state-'));
    service.start();
    try {
      const run = service.openRun('large');
      service.focusRun(run.id);
      await service.addPaths(
        [folder],
        { workflowId: SANDBOX_WORKFLOWS.image, newBatch: { name: 'large', isEnabled: false } },
        { runId: run.id },
      );
      await settled(service, 110_000);
      const failed = service.list({ groups: ['failed'] }).items.map((i) => `${i.name}: ${i.error}`);
      expect(failed).toEqual([]);
      expect(service.totals().files.done).toBe(4);
      const stats = sandbox().stats();
      expect(stats.putsCut).toBeGreaterThan(0);
      expect(stats.duplicateAssets).toBe(0);
      expect(stats.assets).toBe(4);
      expect(stats.records).toBe(4);
    } finally {
      await service.stop();
      client.close();
    }
  });
});

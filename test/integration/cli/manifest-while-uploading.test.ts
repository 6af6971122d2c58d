/**
 * `manifest` and `verify` read a journal that an upload service holds open (its exclusive lock lets no other
 * connection read): the CLI reads a consistent copy, and its lines are the ones the holding service reads itself.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, sandboxEnv, serviceFor, settled, tempDir, writeImages } from '../uploads/helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 29 });
const WORKFLOW = SANDBOX_WORKFLOWS.image;

describe('manifest and verify while an upload holds the journal', () => {
  it('read the held journal: the same lines the upload service reads, and every file verified', async () => {
    const folder = join(tempDir('held-journal-'), 'files');
    const paths = writeImages(folder, 3);
    const stateDir = tempDir('held-state-');
    const { service, client } = serviceFor(sandbox(), stateDir);
    try {
      service.start();
      const target = { workflowId: WORKFLOW, newBatch: { name: 'held journal', isEnabled: false } };
      const batchId = await service.resolveBatch(target);
      await service.addPaths([folder], target);
      await settled(service);
      const held = service.manifestLines(WORKFLOW, batchId);
      expect(held.map((line) => line.path).sort()).toEqual([...paths].sort());

      const env = sandboxEnv(sandbox());
      const journal = ['--workflow', WORKFLOW, '--batch', batchId, '--state-dir', stateDir];
      const manifest = await runCli(['manifest', ...journal, '--format', 'jsonl'], env);
      expect(manifest.code, manifest.stderr).toBe(0);
      const lines = manifest.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map(({ path, assetId, recordId }) => ({ path, assetId, recordId }))).toEqual(
        held.map(({ path, assetId, recordId }) => ({ path, assetId, recordId })),
      );

      const verify = await runCli(['verify', ...journal, '--json'], env);
      expect(verify.code, verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checked: 3, missing: [], extra: [] });
      // The service still holds its journal and goes on: nothing the reader did took the lock from it.
      expect(service.isSettled()).toBe(true);
      expect(service.totals().files.done).toBe(3);
    } finally {
      await service.stop();
      client.close();
    }
  }, 60_000);
});

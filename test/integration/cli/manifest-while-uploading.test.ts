/**
 * `manifest` and `verify` read a journal that an upload service holds open (its exclusive lock lets no other
 * connection read): the CLI reads a consistent copy, and its lines are the ones the holding service reads itself.
 * They say that the upload still runs (one line on stderr, `readFromCopy` in verify's JSON), and say nothing of
 * it once the upload has let the journal go.
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
    let stopped: Promise<void> | undefined;
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

      const running = `an upload is still running in ${stateDir}`;
      expect(manifest.stderr).toContain(
        `${running}: this manifest is as of now; run manifest again when it finishes`,
      );

      const verify = await runCli(['verify', ...journal, '--json'], env);
      expect(verify.code, verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({
        ok: true,
        checked: 3,
        missing: [],
        extra: [],
        readFromCopy: true,
      });
      const verifyText = await runCli(['verify', ...journal], env);
      expect(verifyText.code, verifyText.stderr).toBe(0);
      expect(verifyText.stdout).toContain('verified: 3 files checked');
      expect(verifyText.stderr).toContain(
        `${running}: this check is as of now; run verify again when it finishes`,
      );
      // The service still holds its journal and goes on: nothing the reader did took the lock from it.
      expect(service.isSettled()).toBe(true);
      expect(service.totals().files.done).toBe(3);

      // The upload has ended: the journal itself is read, and nothing is said of a running upload.
      stopped = service.stop();
      await stopped;
      const after = await runCli(['manifest', ...journal, '--format', 'jsonl'], env);
      expect(after.code, after.stderr).toBe(0);
      expect(after.stdout).toBe(manifest.stdout);
      expect(after.stderr).not.toContain('still running');
      const verifyAfter = await runCli(['verify', ...journal, '--json'], env);
      expect(JSON.parse(verifyAfter.stdout)).toMatchObject({ ok: true, checked: 3, readFromCopy: false });
    } finally {
      await (stopped ?? service.stop());
      client.close();
    }
  }, 60_000);
});

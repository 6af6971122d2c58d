import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, sandboxClient, sandboxEnv, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 13 });

function lastEvent(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

describe('upload command reruns', () => {
  it('skips files uploaded before as "already uploaded", uploads them again with --reupload, and adds to an existing --batch', async () => {
    const folder = join(tempDir('rerun-'), 'files');
    writeImages(folder, 5);
    const stateDir = tempDir('state-');
    const env = sandboxEnv(sandbox());
    const client = sandboxClient(sandbox());
    try {
      const batch = await client.createBatch(SANDBOX_WORKFLOWS.image, { name: 'existing', isEnabled: false });
      const args = [
        'upload',
        folder,
        '--workflow',
        SANDBOX_WORKFLOWS.image,
        '--batch',
        batch.id,
        '--state-dir',
        stateDir,
        '--json',
      ];
      const first = await runCli(args, env);
      expect(first.code, first.stderr).toBe(0);
      expect(lastEvent(first.stdout)).toMatchObject({ done: 5, failed: 0, batchId: batch.id });

      const again = await runCli(args, env);
      expect(again.code, again.stderr).toBe(0);
      expect(lastEvent(again.stdout)).toMatchObject({ done: 0, skipped: 5 });
      const skips = lastEvent(again.stdout).skips as { reason: string }[];
      expect(skips.map((s) => s.reason)).toEqual(Array(5).fill('already uploaded'));
      expect(sandbox().stats().assets).toBe(5);

      const forced = await runCli([...args, '--reupload'], env);
      expect(forced.code, forced.stderr).toBe(0);
      expect(lastEvent(forced.stdout)).toMatchObject({ done: 5 });
      expect(sandbox().stats().assets).toBe(10);
      expect(sandbox().stats().recordsByBatch[batch.id]).toBeDefined();
      expect(sandbox().stats().duplicateRecords).toBe(0);

      const wrong = await runCli(
        [
          'upload',
          folder,
          '--workflow',
          SANDBOX_WORKFLOWS.video,
          '--batch',
          batch.id,
          '--state-dir',
          stateDir,
        ],
        env,
      );
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/belongs to workflow/);
    } finally {
      client.close();
    }
  }, 120_000);
});

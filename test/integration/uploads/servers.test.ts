import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS, startSandbox } from '../../../sandbox/server.ts';
import type { RunningSandbox } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, sandboxEnv, serviceFor, tempDir, writeImages } from './helpers.ts';

const first = useSandbox({ labelers: false, seed: 21 });
const second = useSandbox({ labelers: false, seed: 22 });

function lastEvent(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

function uploadArgs(folder: string, batchName: string, stateDir: string): string[] {
  return [
    'upload',
    folder,
    '--workflow',
    SANDBOX_WORKFLOWS.image,
    '--new-batch',
    batchName,
    '--state-dir',
    stateDir,
    '--json',
  ];
}

/** A sandbox started afresh (empty data) on the port of one that was closed: the same URL, a reset server. */
async function restartEmpty(sandbox: RunningSandbox): Promise<RunningSandbox> {
  const port = sandbox.port;
  await sandbox.close();
  return startSandbox({ port, labelers: false });
}

describe('one state directory, several servers', () => {
  it('keeps batches and "already uploaded" apart per server: the same --new-batch command makes a batch on each', async () => {
    const folder = join(tempDir('servers-'), 'files');
    writeImages(folder, 4);
    const stateDir = tempDir('state-');
    const args = uploadArgs(folder, 'test', stateDir);

    const onFirst = await runCli(args, sandboxEnv(first()));
    expect(onFirst.code, onFirst.stderr).toBe(0);
    const firstBatch = lastEvent(onFirst.stdout).batchId as string;
    expect(lastEvent(onFirst.stdout)).toMatchObject({ done: 4, failed: 0 });

    const onSecond = await runCli(args, sandboxEnv(second()));
    expect(onSecond.code, onSecond.stderr).toBe(0);
    expect(onSecond.stderr).not.toMatch(/not found|stopped/);
    const summary = lastEvent(onSecond.stdout);
    expect(summary).toMatchObject({ done: 4, failed: 0, skipped: 0 });
    expect(summary.batchId).not.toBe(firstBatch);
    expect(second().stats().assets).toBe(4);
    expect(second().stats().recordsByBatch[summary.batchId as string]).toBeDefined();
    expect(first().stats().assets).toBe(4);
  }, 120_000);

  it('makes a remembered new batch again when it is gone and held no records, and says so when it held some', async () => {
    let sandbox = await startSandbox({ port: 0, labelers: false });
    const stateDir = tempDir('state-');
    try {
      // 'empty': created (by the pre-check) but never given a record. 'used': a finished upload.
      const { service, client } = serviceFor(sandbox, stateDir);
      const emptyBatch = await service.resolveBatch({
        workflowId: SANDBOX_WORKFLOWS.image,
        newBatch: { name: 'empty', isEnabled: false },
      });
      await service.stop();
      client.close();
      const usedFolder = join(tempDir('used-'), 'files');
      writeImages(usedFolder, 2);
      const used = await runCli(uploadArgs(usedFolder, 'used', stateDir), sandboxEnv(sandbox));
      expect(used.code, used.stderr).toBe(0);

      sandbox = await restartEmpty(sandbox);
      const env = sandboxEnv(sandbox);

      const emptyFolder = join(tempDir('empty-'), 'files');
      writeImages(emptyFolder, 3);
      const again = await runCli(uploadArgs(emptyFolder, 'empty', stateDir), env);
      expect(again.code, again.stderr).toBe(0);
      const summary = lastEvent(again.stdout);
      expect(summary).toMatchObject({ done: 3, failed: 0 });
      expect(summary.batchId).not.toBe(emptyBatch);
      expect(sandbox.stats().recordsByBatch[summary.batchId as string]).toBeDefined();

      const gone = await runCli(uploadArgs(usedFolder, 'used', stateDir), env);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(
        new RegExp(
          `batch 'used' \\([0-9a-f-]{36}\\) remembered from an earlier run no longer exists on 127\\.0\\.0\\.1:${sandbox.port}; pass --batch <id> or choose another --new-batch name`,
        ),
      );
      expect(sandbox.stats().assets).toBe(3);
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});

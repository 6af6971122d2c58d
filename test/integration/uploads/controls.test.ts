import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAlegionClient } from '../../../main/alegion/client.ts';
import { createUploadService } from '../../../main/uploads/upload-service.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, sandboxEnv, serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 21 });
const target = (name: string) => ({
  workflowId: SANDBOX_WORKFLOWS.image,
  newBatch: { name, isEnabled: false },
});

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('controls and global conditions', () => {
  it('pauses everything (aborting PUTs), resumes, cancels one item in flight, and retries a failed one', async () => {
    const folder = join(tempDir('controls-'), 'files');
    writeImages(folder, 8, 400_000);
    const { service, client } = serviceFor(sandbox(), tempDir('state-'), {
      limits: { putConcurrency: 2, bandwidthMBps: 0.5 },
    });
    service.start();
    try {
      const added = await service.addPaths([folder], target('controls'));
      expect(added.queued).toBe(8);
      await until(() => service.snapshot().active.length === 2, 'two PUTs in flight');
      const [first] = service.snapshot().active;
      await service.cancel([first!.id]);
      await until(() => service.list({ groups: ['canceled'] }).total === 1, 'the cancel');
      await service.pause();
      expect(service.totals().mode).toBe('paused');
      await until(() => service.snapshot().active.length === 0, 'PUTs aborted by the pause');
      const doneWhilePaused = service.totals().files.done;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(service.totals().files.done).toBe(doneWhilePaused);
      // Faster now, changed while running.
      expect(service.setLimits({ bandwidthMBps: 0, putConcurrency: 4 })).toMatchObject({ putConcurrency: 4 });
      await service.resume();
      await settled(service);
      expect(service.totals().files).toMatchObject({ done: 7, canceled: 1, failed: 0 });

      // A file that vanished fails alone; once it is back, retry uploads it.
      const extra = join(tempDir('controls-'), 'late.png');
      writeImages(join(extra, '..'), 1);
      const latePath = join(extra, '..', 'img-00000.png');
      await service.pause();
      await service.addPaths([latePath], target('controls'));
      const bytes = Buffer.alloc(2048, 1);
      rmSync(latePath);
      await service.resume();
      await settled(service);
      const failed = service.list({ groups: ['failed'] }).items;
      expect(failed.map((i) => i.error)).toEqual(['vanished: it no longer exists']);
      writeFileSync(latePath, bytes);
      await service.retry();
      await settled(service);
      // Written again: a new size and mtime, so it fails as changed; the reason says what to do.
      expect(service.list({ groups: ['failed'] }).items[0]?.error).toMatch(/changed since it was queued/);
      expect(sandbox().stats().duplicateAssets).toBe(0);
    } finally {
      await service.stop();
      client.close();
    }
  });

  it('pauses the whole queue with one clear message when the API key is rejected, failing nothing', async () => {
    const folder = join(tempDir('badkey-'), 'files');
    writeImages(folder, 5);
    const client = createAlegionClient({
      baseUrl: sandbox().baseUrl,
      apiKey: 'wrong-key',
      username: sandbox().options.username,
      password: sandbox().options.password,
    });
    const service = createUploadService({ client, stateDir: tempDir('state-') });
    const notices: string[] = [];
    service.on('notice', (notice) => notices.push(notice.message));
    service.start();
    try {
      await service.addPaths([folder], target('bad key'));
      await until(() => service.mode === 'blocked', 'the global pause');
      expect(service.modeMessage).toBe('API key rejected: check the key for this profile');
      // The mode and its message are state (the app's banner, the CLI's progress line): no notice repeats them.
      expect(notices).toEqual([]);
      const files = service.totals().files;
      expect(files.failed).toBe(0);
      expect(files.waiting + files.active).toBe(5);
      // Interrupted steps stay where they resume in the journal, but nothing is under way: no phantom activity.
      // The stored states are the journal's own, which the service keeps private.
      const stored = service['journal']
        .stmt("SELECT COUNT(*) AS n FROM items WHERE state IN ('registering', 'registered', 'uploading')")
        .get() as { n: number };
      expect(Number(stored.n)).toBeGreaterThan(0);
      await until(() => service.totals().files.waiting === 5, 'every file shown as waiting', 10_000);
      expect(service.totals().files.active).toBe(0);
      expect(service.list({ groups: ['active'] }).total).toBe(0);
      expect(service.list({ groups: ['waiting'] }).total).toBe(5);
      for (const item of service.list().items) expect(['queued', 'probed']).toContain(item.state);
    } finally {
      await service.stop();
      client.close();
    }
  });

  it('pauses with "workflow not found" when the target workflow does not exist', async () => {
    const folder = join(tempDir('nowf-'), 'files');
    writeImages(folder, 2);
    const { service, client } = serviceFor(sandbox(), tempDir('state-'));
    service.start();
    try {
      await service.addPaths([folder], {
        workflowId: '00000000-0000-4000-8000-000000000000',
        newBatch: { name: 'x', isEnabled: false },
      });
      await until(() => service.mode === 'blocked', 'the global pause');
      expect(service.modeMessage).toMatch(/workflow 00000000-0000-4000-8000-000000000000 not found/);
      expect(service.totals().files.failed).toBe(0);
    } finally {
      await service.stop();
      client.close();
    }
  });

  it('refuses a second engine on the same state directory with "already running"', async () => {
    const stateDir = tempDir('state-');
    const { service, client } = serviceFor(sandbox(), stateDir);
    try {
      const folder = join(tempDir('busy-'), 'files');
      writeImages(folder, 1);
      const result = await runCli(
        [
          'upload',
          folder,
          '--workflow',
          SANDBOX_WORKFLOWS.image,
          '--new-batch',
          'busy',
          '--state-dir',
          stateDir,
        ],
        sandboxEnv(sandbox()),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/already running/);
    } finally {
      await service.stop();
      client.close();
    }
  });
});

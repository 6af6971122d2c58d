/**
 * What the app's queue shows and counts, against the sandbox: only the connected server and account's adds, the
 * totals of the current work, Clear finished, every file a scan counted (a vanished one fails, skipped ones are
 * listed), what each workflow took before, and a paused queue whose waiting files count as paused.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 21 });
/** Queued as scanned: nothing sent again, every content, no record limit. */
const PLAIN = { reupload: false, skipDuplicateContent: false, maxRecords: null };

function scanned(paths: string[]) {
  return {
    files: paths.map((path) => ({
      path,
      relativePath: path.split('/').pop() ?? path,
      size: 2048,
      mtimeMs: 0,
    })),
    skipped: [] as { path: string; reason: string }[],
  };
}

describe('the queue scope', () => {
  it('lists one server’s adds, counts the current work, clears finished adds and knows what each workflow took', async () => {
    const stateDir = tempDir('scope-state-');
    const folder = join(tempDir('scope-'), 'files');
    const first = writeImages(join(folder, 'a'), 3);
    const { service, client } = serviceFor(sandbox(), stateDir);
    try {
      service.start();
      const target = { workflowId: SANDBOX_WORKFLOWS.image, newBatch: { name: 'scope', isEnabled: false } };
      await service.resolveBatch(target);
      const files = first.map((path) => ({
        path,
        relativePath: path.split('/').pop() ?? path,
        size: statSync(path).size,
        mtimeMs: statSync(path).mtimeMs,
      }));
      // One file vanishes between the scan and queuing; one file was left out by the scan.
      rmSync(first[1] as string);
      await service.addScanned(
        { files, skipped: [{ path: join(folder, 'empty.png'), reason: 'empty file' }] },
        target,
        PLAIN,
      );
      await settled(service);
      let totals = service.totals();
      expect(totals.files).toMatchObject({ total: 4, done: 2, failed: 1, skipped: 1 });
      const failed = service.list({ groups: ['failed'] }).items;
      expect(failed.map((i) => [i.name, i.error])).toEqual([
        ['img-00001.png', 'vanished: it no longer exists'],
      ]);
      expect(service.list({ groups: ['skipped'] }).items.map((i) => i.error)).toEqual(['empty file']);

      // What the workflow took, and which workflows hold a file.
      const use = service.workflowUse();
      expect(use).toEqual([
        expect.objectContaining({
          workflowId: SANDBOX_WORKFLOWS.image,
          taken: { image: 2, video: 0, text: 0, record: 0 },
        }),
      ]);
      const done = files[0]!;
      expect(service.uploadedTo(done.path, done.size, done.mtimeMs)).toEqual([SANDBOX_WORKFLOWS.image]);
      expect(service.uploadedTo(done.path, done.size + 1, done.mtimeMs)).toEqual([]);

      // A second add after all was done: the totals' work starts again from it; the list shows both.
      const second = writeImages(join(folder, 'b'), 2).map((path) => ({
        path,
        relativePath: path.split('/').pop() ?? path,
        size: statSync(path).size,
        mtimeMs: statSync(path).mtimeMs,
      }));
      await service.addScanned({ files: second, skipped: [] }, target, PLAIN);
      await settled(service);
      totals = service.totals();
      expect(totals.work?.files).toMatchObject({ total: 2, done: 2 });
      expect(totals.files.total).toBe(6);

      // Clear finished: the second add goes; the first keeps its failed file.
      expect(service.clearFinished()).toBe(2);
      expect(service.totals().files.total).toBe(4);
      expect(service.list({}).total).toBe(4);
      // Cleared files are still known as sent before.
      expect(service.uploadedTo(second[0]!.path, second[0]!.size, second[0]!.mtimeMs)).toEqual([
        SANDBOX_WORKFLOWS.image,
      ]);

      // Paused as a whole: files waiting count and list as paused.
      await service.pause();
      await service.addScanned(scanned(writeImages(join(folder, 'c'), 3)), target, PLAIN);
      totals = service.totals();
      expect(totals.files.paused).toBe(3);
      expect(totals.files.waiting).toBe(0);
      expect(service.list({ groups: ['paused'] }).total).toBe(3);
      expect(service.list({ groups: ['waiting'] }).total).toBe(0);
      expect(service.list({ groups: ['paused'] }).items.every((i) => i.state === 'paused')).toBe(true);
      await service.resume();
      expect(service.totals().files.paused).toBe(0);
    } finally {
      await service.stop();
      await client.close();
    }
    // The same journal under another account: none of those adds are this profile's to list or count.
    const other = serviceFor(sandbox(), stateDir, { account: 'someone-else' });
    try {
      expect(other.service.totals().files.total).toBe(0);
      expect(other.service.list({}).total).toBe(0);
      expect(other.service.workflowUse()).toEqual([]);
    } finally {
      await other.service.stop();
      await other.client.close();
    }
  }, 120_000);
});

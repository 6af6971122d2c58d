import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { FAST_LABELERS, useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir } from './helpers.ts';

const sandbox = useSandbox({ ...FAST_LABELERS, labelers: false });
const MEDIA = join(import.meta.dirname, '../../fixtures/media');

describe('a mixed folder', () => {
  it('arrives complete: one asset and one record per accepted file, ETags verified, junk skipped with reasons', async () => {
    const folder = tempDir('mixed-');
    const accepted = [
      'image-16x12.png',
      'image-16x12.jpg',
      'image-16x12.gif',
      'image-16x12.webp',
      'h264-29.97fps-45frames.mp4',
      'h264-25fps-50frames.mov',
      'vp9-29.97fps-30frames.webm',
      'h264-24fps-36frames.mkv',
      'document-utf8.txt',
    ];
    mkdirSync(join(folder, 'nested'));
    for (const name of accepted) copyFileSync(join(MEDIA, name), join(folder, 'nested', name));
    writeFileSync(join(folder, 'notes.docx'), 'not a supported type');
    writeFileSync(join(folder, '.hidden.png'), 'hidden');
    copyFileSync(join(MEDIA, 'png-content-named.mp4'), join(folder, 'png-content-named.mp4'));
    copyFileSync(join(MEDIA, 'corrupt-truncated.mp4'), join(folder, 'corrupt-truncated.mp4'));
    writeFileSync(join(folder, 'empty.png'), '');

    const stateDir = tempDir('state-');
    const { service, client } = serviceFor(sandbox(), stateDir);
    service.start();
    try {
      const skippedByWalk: string[] = [];
      const target = {
        workflowId: SANDBOX_WORKFLOWS.image,
        newBatch: { name: 'mixed folder', isEnabled: false },
      };
      const run = service.openRun('mixed');
      service.focusRun(run.id);
      const added = await service.addPaths([folder], target, {
        runId: run.id,
        onSkip: (s) => skippedByWalk.push(s.reason),
      });
      expect(added.queued).toBe(accepted.length + 3);
      expect(skippedByWalk.sort()).toEqual(['empty file', 'hidden file']);
      await settled(service);

      const totals = service.totals();
      expect(totals.files).toMatchObject({ done: accepted.length, skipped: 2, failed: 1 });
      const failed = service.list({ groups: ['failed'] }).items.map((i) => [i.name, i.error]);
      expect(failed).toEqual([['corrupt-truncated.mp4', expect.stringContaining('video probe failed')]]);
      const skipped = service.list({ groups: ['skipped'] }).items.map((i) => [i.name, i.kind]);
      // A file skipped for its type has no media kind (not a placeholder one).
      expect(skipped.sort()).toEqual([
        ['notes.docx', null],
        ['png-content-named.mp4', null],
      ]);

      const stats = sandbox().stats();
      expect(stats.assets).toBe(accepted.length);
      expect(stats.duplicateAssets).toBe(0);
      expect(stats.records).toBe(accepted.length);
      expect(stats.duplicateRecords).toBe(0);
      expect(stats.putsCompleted).toBe(accepted.length);
      const done = service.list({ groups: ['done'] }).items;
      expect(done.every((item) => item.assetId && item.recordId && item.batchId)).toBe(true);
      const kinds = done.map((item) => item.kind);
      expect([kinds.filter((k) => k === 'image').length, kinds.filter((k) => k === 'video').length]).toEqual([
        4, 4,
      ]);
      expect(kinds.filter((k) => k === 'text')).toEqual(['text']);
      const videos = [];
      for await (const asset of client.listAssets({ type: 'video' })) videos.push(asset);
      expect(videos.map((v) => [v.fileName, v.fps, v.frameCount]).sort()).toEqual(
        [
          ['h264-24fps-36frames.mkv', 24, 36],
          ['h264-25fps-50frames.mov', 25, 50],
          ['h264-29.97fps-45frames.mp4', 30000 / 1001, 45],
          ['vp9-29.97fps-30frames.webm', 30000 / 1001, 30],
        ].sort(),
      );
      expect(readdirSync(stateDir).sort()).toEqual(
        expect.arrayContaining(['upload-links.key', 'uploads.sqlite']),
      );
    } finally {
      await service.stop();
      client.close();
    }
  });
});

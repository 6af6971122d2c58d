import { copyFileSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempJournal } from '../../../../support/temp-journal.ts';
import { itemThumbnail } from '../../../../../main/uploads/queue/queue-thumbnail.ts';
import { insertFiles, nextItems } from '../../../../../main/uploads/journal/items.ts';
import { ensureTarget, openRun } from '../../../../../main/uploads/journal/targets.ts';

const WORKFLOW = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';
const MEDIA = join(process.cwd(), 'test/fixtures/media');

describe('queued image thumbnails', () => {
  const temp = useTempJournal('thumb-');

  /** Queues `path` (as it is now) for `server`; returns the item's id. */
  function queue(path: string, server: string): number {
    const target = ensureTarget(
      temp.journal,
      WORKFLOW,
      { newBatchName: server, enabled: true },
      undefined,
      server,
    );
    const run = openRun(temp.journal, `run-${path}-${server}`).id;
    const stats = statSync(path);
    const name = path.split('/').pop() ?? path;
    insertFiles(temp.journal, run, target, [{ path, name, size: stats.size, mtimeMs: stats.mtimeMs }], false);
    return nextItems(temp.journal, 'file', ['queued'], 100, new Set()).find(
      (i) => i.path === path && i.runId === run,
    )!.id;
  }

  it('sends each fixture image as a data URL of its own bytes and type, for its own server only', async () => {
    for (const [file, mime] of [
      ['image-16x12.png', 'image/png'],
      ['image-16x12.jpg', 'image/jpeg'],
      ['image-16x12.gif', 'image/gif'],
      ['image-16x12.webp', 'image/webp'],
    ] as const) {
      const path = join(temp.dir, file);
      copyFileSync(join(MEDIA, file), path);
      const id = queue(path, 'a@https://one');
      const thumb = await itemThumbnail(temp.journal, 'a@https://one', id);
      expect(thumb).toEqual({
        dataUrl: `data:${mime};base64,${readFileSync(path).toString('base64')}`,
      });
      // Another profile's server does not get it.
      expect(await itemThumbnail(temp.journal, 'b@https://two', id)).toEqual({
        unavailable: 'No preview: this is not a file in the queue.',
      });
    }
  });

  it('refuses what is not an image, a link, a changed file and an unknown id', async () => {
    const text = join(temp.dir, 'notes.png');
    writeFileSync(text, '<svg onload="alert(1)"></svg>');
    expect(await itemThumbnail(temp.journal, 's', queue(text, 's'))).toEqual({
      unavailable: 'No preview: not a PNG, JPEG, GIF or WebP image.',
    });
    const real = join(temp.dir, 'real.png');
    copyFileSync(join(MEDIA, 'image-16x12.png'), real);
    const link = join(temp.dir, 'link.png');
    symlinkSync(real, link);
    expect(await itemThumbnail(temp.journal, 's', queue(link, 's'))).toEqual({
      unavailable: 'No preview for a link.',
    });
    const changed = queue(real, 's');
    writeFileSync(real, Buffer.concat([readFileSync(real), Buffer.from('x')]));
    expect(await itemThumbnail(temp.journal, 's', changed)).toEqual({
      unavailable: 'No preview: the file changed since it was added.',
    });
    expect(await itemThumbnail(temp.journal, 's', 99_999)).toEqual({
      unavailable: 'No preview: this is not a file in the queue.',
    });
  });
});

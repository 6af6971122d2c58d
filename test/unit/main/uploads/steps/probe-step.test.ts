import { createHash } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempJournal } from '../../../../support/temp-journal.ts';
import { RecordLimits } from '../../../../../main/uploads/record-limit.ts';
import { ContentDedupe } from '../../../../../main/uploads/intake/content-dedupe.ts';
import { Limiter, TokenBucket } from '../../../../../main/uploads/queue/limits.ts';
import { linkVaultWithKey } from '../../../../../main/uploads/journal/link-vault.ts';
import { ProgressTracker } from '../../../../../main/uploads/queue/progress.ts';
import { INTAKE_HASH_MAX_BYTES, probeItem } from '../../../../../main/uploads/steps/probe-step.ts';
import type { StepContext } from '../../../../../main/uploads/steps/step-context.ts';
import type { AlegionClient } from '../../../../../main/alegion/types.ts';
import type { MediaKind } from '../../../../../common/alegion.ts';
import { getItem, insertFiles, itemEvents, nextItems } from '../../../../../main/uploads/journal/items.ts';
import { ensureTarget, getTarget, openRun } from '../../../../../main/uploads/journal/targets.ts';

const MEDIA = join(import.meta.dirname, '../../../../fixtures/media');

describe('intake step of a queued file', () => {
  const temp = useTempJournal('probe-');

  const context = (maxFileBytes = 0): StepContext => ({
    journal: temp.journal,
    client: {} as AlegionClient,
    api: new Limiter(1),
    puts: new Limiter(1),
    bucket: new TokenBucket(0),
    vault: linkVaultWithKey(Buffer.alloc(32)),
    progress: new ProgressTracker(),
    now: Date.now,
    maxFileBytes,
    signedUrlReuseMs: 0,
    recordLimits: new RecordLimits(temp.journal),
    contentDedupe: new ContentDedupe(temp.journal),
  });

  async function probe(
    path: string,
    options: { maxFileBytes?: number; declared?: MediaKind; before?: () => void } = {},
  ) {
    const stats = statSync(path);
    const target = ensureTarget(temp.journal, 'wf', { batchId: 'b' }, options.declared);
    const run = openRun(temp.journal, `r-${Math.random()}`);
    insertFiles(
      temp.journal,
      run.id,
      target,
      [{ path, name: 'f', size: stats.size, mtimeMs: stats.mtimeMs }],
      false,
    );
    const item = nextItems(temp.journal, 'file', ['queued'], 1, new Set())[0]!;
    options.before?.();
    await probeItem(context(options.maxFileBytes), item, getTarget(temp.journal, target.id));
    return getItem(temp.journal, item.id)!;
  }

  it('probes a video and hashes it: fps, frame count and MD5 are ready for the register call', async () => {
    const path = join(temp.dir, 'clip.mp4');
    copyFileSync(join(MEDIA, 'h264-29.97fps-45frames.mp4'), path);
    const item = await probe(path);
    expect(item).toMatchObject({ state: 'probed', mediaKind: 'video', frameCount: 45 });
    expect(item.fps).toBeCloseTo(29.97, 2);
    expect(item.md5).toBe(createHash('md5').update(readFileSync(path)).digest('hex'));
  });

  it('records a variable frame rate as such, its average as the fps, and a constant one as constant', async () => {
    const vfr = join(temp.dir, 'vfr.mkv');
    copyFileSync(join(MEDIA, 'h264-vfr-40frames.mkv'), vfr);
    // ffprobe: 40 frames at timestamps 0 to 1800 ms (test/fixtures/media/README.md).
    const item = await probe(vfr);
    expect(item).toMatchObject({ state: 'probed', frameCount: 40, fpsVariable: true });
    expect(item.fps).toBeCloseTo(39 / 1.8, 12);
    const mkv = join(temp.dir, 'constant.mkv');
    copyFileSync(join(MEDIA, 'h264-24fps-36frames.mkv'), mkv);
    expect(await probe(mkv)).toMatchObject({ fps: 24, frameCount: 36, fpsVariable: false });
  });

  it('hashes a file of several read buffers exactly, and leaves a file above the limit to be hashed during its PUT', async () => {
    const image = join(temp.dir, 'big.png');
    copyFileSync(join(MEDIA, 'image-16x12.png'), image);
    appendFileSync(image, Buffer.alloc(3 * 1024 * 1024 + 7, 1));
    const hashed = await probe(image);
    expect(hashed.state).toBe('probed');
    expect(hashed.md5).toBe(createHash('md5').update(readFileSync(image)).digest('hex'));

    // A valid MP4 padded with one sparse `free` box to just past the limit: probed (fps, frames), not hashed.
    const video = join(temp.dir, 'large.mp4');
    copyFileSync(join(MEDIA, 'h264-29.97fps-45frames.mp4'), video);
    const size = INTAKE_HASH_MAX_BYTES + 1;
    const header = Buffer.alloc(8);
    header.writeUInt32BE(size - statSync(video).size, 0);
    header.write('free', 4, 'latin1');
    appendFileSync(video, header);
    truncateSync(video, size);
    const large = await probe(video);
    expect(large).toMatchObject({ state: 'probed', mediaKind: 'video', frameCount: 45, md5: null });
  });

  it('keeps the MD5 of a piped WebM the probe read whole, even above the limit for hashing at intake', async () => {
    // A WebM written to a pipe (no Duration, no Cues), padded with one sparse EBML Void element past the limit.
    const video = join(temp.dir, 'recording.webm');
    copyFileSync(join(MEDIA, 'vp9-30fps-40frames-piped.webm'), video);
    const padding = INTAKE_HASH_MAX_BYTES + 1024;
    const header = Buffer.alloc(9);
    header[0] = 0xec;
    header[1] = 0x01; // an 8-byte size: 0x01 marker, then 7 bytes of value
    header.writeUIntBE(padding, 3, 6);
    appendFileSync(video, header);
    truncateSync(video, statSync(video).size + padding);
    const expected = createHash('md5');
    for await (const chunk of createReadStream(video)) expected.update(chunk as Buffer);

    const item = await probe(video);
    expect(item).toMatchObject({ state: 'probed', mediaKind: 'video', frameCount: 40, fps: 30 });
    expect(item.md5).toBe(expected.digest('hex'));
  });

  it('fails each bad file alone with a reason a person can act on', async () => {
    const image = join(temp.dir, 'a.png');
    copyFileSync(join(MEDIA, 'image-16x12.png'), image);
    expect((await probe(image, { maxFileBytes: 10 })).reason).toMatch(/^over the size limit/);
    expect((await probe(image, { declared: 'video' })).reason).toMatch(/^type mismatch: /);
    const changed = await probe(image, {
      before: () => utimesSync(image, new Date(), new Date(Date.now() - 60_000)),
    });
    expect(changed).toMatchObject({ state: 'failed', resumeState: 'queued' });
    expect(changed.reason).toMatch(/^changed since it was queued/);
    const gone = join(temp.dir, 'gone.png');
    copyFileSync(join(MEDIA, 'image-16x12.png'), gone);
    expect((await probe(gone, { before: () => rmSync(gone) })).reason).toBe('vanished: it no longer exists');
    const corrupt = join(temp.dir, 'bad.mp4');
    copyFileSync(join(MEDIA, 'corrupt-truncated.mp4'), corrupt);
    expect((await probe(corrupt)).reason).toMatch(/^video probe failed: /);
    expect(itemEvents(temp.journal, 1)).toHaveLength(1);
  });

  it('leaves out an unsupported file as skipped, with the reason, rather than failing it', async () => {
    const doc = join(temp.dir, 'notes.docx');
    writeFileSync(doc, 'not supported');
    expect(await probe(doc)).toMatchObject({ state: 'skipped', reason: 'unsupported file type (.docx)' });
  });
});

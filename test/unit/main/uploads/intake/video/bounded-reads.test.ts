/**
 * The bounded-read rule, counted at the file: where a container has an index or a duration, the probe reads at
 * most 16 MiB or 10% of the file, whichever is larger; where it has neither, it reads the file whole exactly once
 * and the MD5 of that read is the file's.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeMatroska } from '../../../../../../main/uploads/intake/video/probe-matroska.ts';
import { probeMp4 } from '../../../../../../main/uploads/intake/video/probe-mp4.ts';
import { virtualMatroska, virtualMp4MoovLast } from '../../../../../support/virtual-video.ts';
import type { VirtualFile } from '../../../../../support/virtual-video.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const bound = (size: number): number => Math.max(16 * MIB, size / 10);
const NTSC_PERIOD_NS = 33_366_667;

/** The MD5 of a virtual file, read in order by the test itself. */
async function md5Of(file: VirtualFile): Promise<string> {
  const hash = createHash('md5');
  const chunk = new Uint8Array(4 * MIB);
  for (let at = 0; at < file.size; at += chunk.length) {
    const { bytesRead } = await file.read(chunk, 0, chunk.length, at);
    hash.update(chunk.subarray(0, bytesRead));
  }
  return hash.digest('hex');
}

describe('bounded reads', () => {
  it('a 1 GiB Matroska file with a duration, frames of 4 KiB: every frame counted, at most 10% of it read', async () => {
    const frames = 262_000;
    const file = virtualMatroska({
      frames,
      frameBytes: 4096,
      periodNs: NTSC_PERIOD_NS,
      framesPerCluster: 300,
      withDuration: true,
    });
    expect(file.size).toBeGreaterThan(GIB);
    const probe = await probeMatroska(file, file.size);
    expect(probe).toMatchObject({ frameCount: frames, fps: 30000 / 1001, variableFrameRate: false });
    expect(probe.hashed).toBeUndefined();
    expect(file.bytesRead).toBe(probe.bytesRead);
    expect(file.bytesRead).toBeLessThanOrEqual(bound(file.size));
  });

  it('a 1 GiB MP4 with its index last: the index found past the media data, which is not read', async () => {
    const small = readFileSync(
      path.join(import.meta.dirname, '../../../../../fixtures/media/h264-29.97fps-45frames.mp4'),
    );
    const file = virtualMp4MoovLast(small, GIB);
    const probe = await probeMp4(file, file.size);
    // The fixture's facts (test/fixtures/media/README.md): 30000/1001 fps, 45 frames.
    expect(probe).toMatchObject({ frameCount: 45, fps: 30000 / 1001 });
    expect(file.bytesRead).toBe(probe.bytesRead);
    expect(file.bytesRead).toBeLessThanOrEqual(bound(file.size));
  });

  it('a Matroska file with neither duration nor index, clusters of unknown size: read whole once, and hashed', async () => {
    const frames = 12_000;
    const file = virtualMatroska({
      frames,
      frameBytes: 6000,
      periodNs: NTSC_PERIOD_NS,
      framesPerCluster: 60,
      withDuration: false,
    });
    expect(file.size).toBeGreaterThan(64 * MIB);
    const probe = await probeMatroska(file, file.size);
    expect(probe).toMatchObject({ frameCount: frames, fps: 30000 / 1001 });
    // The header is read in small windows, then the whole file in order: once, plus those few windows.
    expect(file.bytesRead).toBe(probe.bytesRead);
    expect(file.bytesRead).toBeGreaterThanOrEqual(file.size);
    expect(file.bytesRead).toBeLessThan(file.size + 64 * 1024);
    expect(probe.hashed?.bytes).toBe(file.size);
    expect(probe.hashed?.md5).toBe(await md5Of(file));
  });
});

/**
 * The video probe against ffprobe, on clips ffmpeg makes here: every container, codec, rate and layout the app
 * takes appears at least once (a representative slice of their cross product, not all of it). The frame count must
 * equal `ffprobe -count_frames`; a constant rate must be the exact rational ffmpeg was asked for; a variable rate
 * must be the documented average, (frames − 1) / (last timestamp − first timestamp), from ffprobe's timestamps.
 * Skipped, with the reason printed, where ffmpeg is not installed; a codec whose encoder this ffmpeg lacks is
 * skipped the same way.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { probeVideo } from '../../../main/uploads/intake/probe-video.ts';
import {
  CLIP_SIZE,
  CODECS,
  averageRate,
  clipName,
  encodingFor,
  ffmpegAvailable,
  ffprobe,
  makeClip,
} from '../../support/media-clips.ts';
import type { Clip, FfprobeReading } from '../../support/media-clips.ts';

const MATRIX: Clip[] = [
  { ext: 'mp4', codec: 'h264', rate: '30000/1001', frames: 45, layout: 'moov-first' },
  { ext: 'mp4', codec: 'h264', rate: '24', frames: 30, layout: 'moov-last' },
  { ext: 'mp4', codec: 'h264', rate: '60000/1001', frames: 70, layout: 'fragmented' },
  { ext: 'mp4', codec: 'hevc', rate: '25', frames: 30, layout: 'fragmented' },
  { ext: 'mp4', codec: 'hevc', rate: '50', frames: 60 },
  { ext: 'mp4', codec: 'vp9', rate: '60', frames: 60 },
  { ext: 'mp4', codec: 'av1', rate: '30', frames: 30 },
  { ext: 'mp4', codec: 'mpeg4', rate: '24000/1001', frames: 30 },
  { ext: 'mp4', codec: 'mjpeg', rate: '25', frames: 25 },
  { ext: 'mp4', codec: 'h264', rate: '30', frames: 40, layout: 'vfr' },
  { ext: 'mp4', codec: 'h264', rate: '60000/1001', frames: 40, layout: 'from-mkv' },
  { ext: 'mp4', codec: 'h264', rate: '24', frames: 40, layout: 'from-mkv' },
  { ext: 'mov', codec: 'h264', rate: '24000/1001', frames: 30, layout: 'moov-first' },
  { ext: 'mov', codec: 'mjpeg', rate: '30', frames: 30 },
  { ext: 'mov', codec: 'hevc', rate: '60000/1001', frames: 60 },
  { ext: 'mov', codec: 'mpeg4', rate: '50', frames: 50 },
  { ext: 'mkv', codec: 'h264', rate: '60000/1001', frames: 60 },
  { ext: 'mkv', codec: 'h264', rate: '24000/1001', frames: 30 },
  { ext: 'mkv', codec: 'hevc', rate: '30000/1001', frames: 30 },
  { ext: 'mkv', codec: 'vp9', rate: '50', frames: 50 },
  { ext: 'mkv', codec: 'av1', rate: '24', frames: 24 },
  { ext: 'mkv', codec: 'mpeg4', rate: '30', frames: 30 },
  { ext: 'mkv', codec: 'mjpeg', rate: '60', frames: 60 },
  { ext: 'mkv', codec: 'h264', rate: '25', frames: 40, layout: 'piped' },
  { ext: 'mkv', codec: 'h264', rate: '30', frames: 40, layout: 'vfr' },
  { ext: 'mkv', codec: 'vp9', rate: '30', frames: 40, layout: 'vfr' },
  { ext: 'webm', codec: 'vp9', rate: '60000/1001', frames: 60 },
  { ext: 'webm', codec: 'vp8', rate: '30000/1001', frames: 30 },
  { ext: 'webm', codec: 'av1', rate: '25', frames: 25 },
  { ext: 'webm', codec: 'vp9', rate: '30', frames: 40, layout: 'piped' },
  { ext: 'webm', codec: 'vp8', rate: '24', frames: 30, layout: 'piped' },
  { ext: 'avi', codec: 'mpeg4', rate: '25', frames: 25 },
  { ext: 'avi', codec: 'mjpeg', rate: '30000/1001', frames: 30 },
  { ext: 'avi', codec: 'h264', rate: '24000/1001', frames: 30 },
  { ext: 'avi', codec: 'mpeg4', rate: '60', frames: 60 },
];

const ffmpeg = ffmpegAvailable();
if (!ffmpeg.ok) console.log(`probe against ffprobe skipped: ${ffmpeg.reason}`);
const missing = (clip: Clip): string | null =>
  ffmpeg.ok && encodingFor(clip.codec)
    ? null
    : `this ffmpeg has none of ${CODECS[clip.codec].map((option) => option.encoder).join(', ')} for ${clip.codec}`;

/** The rate ffmpeg was asked for, as the double the probe must return exactly. */
const askedRate = (rate: string): number => {
  const [num, den] = rate.split('/').map(Number);
  return num! / (den ?? 1);
};

/** Runs `work` on every item, at most `limit` at once (ffmpeg encodes on several threads already). */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

describe.skipIf(!ffmpeg.ok)('probeVideo agrees with ffprobe -count_frames', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-ffprobe-'));
  /** ffprobe's reading of each clip made, or why the clip could not be made (shown in that clip's test). */
  const references = new Map<string, FfprobeReading | Error>();
  beforeAll(async () => {
    await eachLimited(
      MATRIX.filter((clip) => !missing(clip)),
      2,
      async (clip) => {
        const file = path.join(dir, clipName(clip));
        try {
          await makeClip(clip, file);
          references.set(clipName(clip), await ffprobe(file));
        } catch (error) {
          references.set(clipName(clip), error as Error);
        }
      },
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(MATRIX.map((clip) => [clipName(clip), clip] as const))('%s', async (name, clip) => {
    const why = missing(clip);
    if (why) {
      console.log(`${name} skipped: ${why}`);
      return;
    }
    const file = path.join(dir, name);
    const reference = references.get(name);
    if (!reference || reference instanceof Error) throw reference ?? new Error(`${name} was not made`);
    const probe = await probeVideo(file);

    expect(probe.frameCount).toBe(reference.frames);
    if (clip.layout === 'vfr') {
      expect(probe.variableFrameRate).toBe(true);
      expect(probe.fps).toBeCloseTo(averageRate(reference), 9);
    } else {
      expect(probe.variableFrameRate).toBe(false);
      expect(probe.fps).toBe(askedRate(clip.rate));
      // ffprobe's Matroska rate is the period reduced to terms under 30,000 (19001/317 for 60000/1001): close, not exact.
      const theirs = reference.rate.num / reference.rate.den;
      expect(Math.abs(probe.fps - theirs) / theirs).toBeLessThan(
        clip.ext === 'mkv' || clip.ext === 'webm' ? 1e-6 : 1e-12,
      );
    }
    expect({ width: probe.width, height: probe.height }).toEqual(CLIP_SIZE);

    const size = statSync(file).size;
    if (clip.layout === 'piped') {
      // Neither index nor duration: read whole, once, and hashed on the way.
      expect(probe.hashed?.md5).toBe(createHash('md5').update(readFileSync(file)).digest('hex'));
    } else {
      expect(probe.hashed).toBeUndefined();
    }
    expect(probe.bytesRead).toBeLessThanOrEqual(
      Math.max(16 * 1024 * 1024, size / 10) + (clip.layout === 'piped' ? size : 0),
    );
  });
});

/** 17 to 55 MB of uncompressed (or barely compressed) video: frames far larger than the headers between them. */
const LARGE: Array<{ name: string; args: string[] }> = [
  { name: 'raw-yuv420p.mkv', args: ['-c:v', 'rawvideo', '-pix_fmt', 'yuv420p'] },
  { name: 'raw-uyvy422.mov', args: ['-c:v', 'rawvideo', '-pix_fmt', 'uyvy422'] },
  {
    name: 'mjpeg-fragmented.mp4',
    args: ['-c:v', 'mjpeg', '-q:v', '1', '-movflags', 'frag_keyframe+empty_moov'],
  },
  { name: 'raw-yuv420p.avi', args: ['-c:v', 'rawvideo', '-pix_fmt', 'yuv420p'] },
];

describe.skipIf(!ffmpeg.ok)('probeVideo reads little of a large indexed video', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(LARGE)(
    '$name: at most 16 MiB or 10 percent of the file, whichever is larger',
    async ({ name, args }) => {
      const file = path.join(dir, name);
      const source = name.includes('fragmented')
        ? 'testsrc2=size=1280x720:rate=25'
        : 'testsrc=size=640x480:rate=25';
      execFileSync('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        source,
        '-frames:v',
        name.includes('fragmented') ? '250' : '90',
        ...args,
        file,
      ]);
      const size = statSync(file).size;
      const [probe, reference] = await Promise.all([probeVideo(file), ffprobe(file)]);
      console.log(`${name}: ${size} bytes, the probe read ${probe.bytesRead}`);
      expect(size).toBeGreaterThan(16 * 1024 * 1024);
      expect(probe.frameCount).toBe(reference.frames);
      expect(probe.fps).toBe(25);
      expect(probe.bytesRead).toBeLessThanOrEqual(Math.max(16 * 1024 * 1024, size / 10));
      // Headers only: well under the bound even for files just over 16 MiB.
      expect(probe.bytesRead).toBeLessThan(size / 10);
    },
  );
});

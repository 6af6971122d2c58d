import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Track } from 'mediainfo.js';
import { ProbeError, probeVideo, readProbe } from '../../../../../main/uploads/intake/probe-video.ts';

const media = (name: string): string => path.join(import.meta.dirname, '../../../../fixtures/media', name);
const NTSC = 30000 / 1001;

describe('probeVideo on committed fixtures', () => {
  it.each([
    ['h264-29.97fps-45frames.mp4', NTSC, 45, 'AVC'],
    ['h264-25fps-50frames.mov', 25, 50, 'AVC'],
    ['vp8-25fps-25frames.webm', 25, 25, 'VP8'],
    ['vp9-29.97fps-30frames.webm', NTSC, 30, 'VP9'],
    ['h264-24fps-36frames.mkv', 24, 36, 'AVC'],
  ])('%s: fps %d, exactly %d frames, codec %s', async (name, fps, frames, codec) => {
    const probe = await probeVideo(media(name));
    expect(probe.fps).toBe(fps);
    expect(probe.variableFrameRate).toBe(false);
    expect(probe.frameCount).toBe(frames);
    expect(probe.codec).toBe(codec);
    expect(probe.durationSeconds).toBeCloseTo(frames / fps, 2);
    expect(probe.width).toBe(64);
    expect(probe.height).toBe(48);
  });

  // Expected values from ffprobe -count_frames (frames) and its packet timestamps (the variable rate's average);
  // test/fixtures/media/README.md has the commands that made the files.
  it.each([
    ['vp9-30fps-40frames-piped.webm', 30, 40, 'VP9'],
    ['vp9-30fps-40frames-unknown-size-clusters.webm', 30, 40, 'VP9'],
    ['h264-59.94fps-40frames-piped.mkv', 60000 / 1001, 40, 'AVC'],
  ])(
    '%s (no duration, no index): fps %d, exactly %d frames, MD5 of the whole read',
    async (name, fps, frames, codec) => {
      const probe = await probeVideo(media(name));
      expect(probe).toMatchObject({ fps, frameCount: frames, codec, variableFrameRate: false });
      expect(probe.hashed?.md5).toBe(
        createHash('md5')
          .update(readFileSync(media(name)))
          .digest('hex'),
      );
    },
  );

  it('registers a variable frame rate as its average over the span of the timestamps', async () => {
    // ffprobe: 40 packets, timestamps 0 to 1800 ms (time base 1/1000), so (40 - 1) / 1.8 s.
    const probe = await probeVideo(media('h264-vfr-40frames.mkv'));
    expect(probe).toMatchObject({ frameCount: 40, variableFrameRate: true });
    expect(probe.fps).toBeCloseTo(39 / 1.8, 12);
    expect(probe.hashed).toBeUndefined();
  });

  it('keeps the NTSC rate exact rather than the rounded 29.97', async () => {
    const probe = await probeVideo(media('h264-29.97fps-45frames.mp4'));
    expect(probe.fps).not.toBe(29.97);
    expect(probe.fps).toBeCloseTo(29.97, 2);
  });

  it('runs many probes at once without tripping over the shared MediaInfo instance', async () => {
    const names = [
      'h264-25fps-50frames.mov',
      'vp8-25fps-25frames.webm',
      'h264-24fps-36frames.mkv',
      'corrupt-garbage.mp4',
    ];
    const results = await Promise.allSettled(names.map((name) => probeVideo(media(name))));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.frameCount : 'failed'))).toEqual([
      50,
      25,
      36,
      'failed',
    ]);
  });

  it.each([
    [
      'corrupt-truncated.mp4',
      /no video stream found in the MPEG-4 data \(the file may be truncated or damaged\)/,
    ],
    ['corrupt-garbage.mp4', /^corrupt or unsupported video: no video stream found$/],
    ['png-content-named.mp4', /no video stream found in the PNG data/],
  ])('fails %s with a clear ProbeError', async (name, reason) => {
    const attempt = probeVideo(media(name));
    await expect(attempt).rejects.toBeInstanceOf(ProbeError);
    await expect(attempt).rejects.toThrow(reason);
  });

  it('reads a large video in chunks, never whole', async () => {
    // The MP4 fixture followed by a 256 MiB "free" box (sparse on disk): MediaInfo must seek past it, not read it.
    const dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
    const big = path.join(dir, 'big.mp4');
    const source = readFileSync(media('h264-29.97fps-45frames.mp4'));
    const padding = 256 * 1024 * 1024;
    const box = Buffer.alloc(8);
    box.writeUInt32BE(padding, 0);
    box.write('free', 4);
    writeFileSync(big, Buffer.concat([source, box]));
    truncateSync(big, source.length + padding);
    const probeHandle = await open(big, 'r');
    const fileHandlePrototype = Object.getPrototypeOf(probeHandle) as {
      read: (...args: unknown[]) => unknown;
    };
    await probeHandle.close();
    const read = vi.spyOn(fileHandlePrototype, 'read');
    try {
      const probe = await probeVideo(big);
      expect(probe.frameCount).toBe(45);
      const requested = read.mock.calls.reduce(
        (sum, call) => sum + ((call[0] as Uint8Array).byteLength ?? 0),
        0,
      );
      expect(read).toHaveBeenCalled();
      expect(requested).toBeGreaterThan(0);
      expect(requested).toBeLessThan(4 * 1024 * 1024);
    } finally {
      read.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['h264-29.97fps-45frames.mp4', 'mdat box'],
    ['h264-24fps-36frames.mkv', 'segment'],
  ])('fails %s cut short, rather than count frames that are not there', async (name, part) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
    const cut = path.join(dir, `cut-${name}`);
    const source = readFileSync(media(name));
    writeFileSync(cut, source.subarray(0, Math.floor(source.length * 0.8)));
    try {
      await expect(probeVideo(cut)).rejects.toThrow(`the file is cut short (its ${part} runs past the end`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a vanished file with a ProbeError, not a raw ENOENT', async () => {
    await expect(probeVideo(media('no-such-video.mp4'))).rejects.toThrow(
      new ProbeError('vanished: it no longer exists'),
    );
  });
});

describe('readProbe', () => {
  const general = { '@type': 'General', Format: 'Matroska', Duration: 2 } as unknown as Track;
  const video = (fields: Record<string, unknown>): Track =>
    ({ '@type': 'Video', ...fields }) as unknown as Track;

  it('prefers the exact rational rate over the printed one', () => {
    expect(
      readProbe([
        general,
        video({
          FrameRate: 29.97,
          FrameRate_Num: 30000,
          FrameRate_Den: 1001,
          FrameCount: 60,
          Duration: 2.002,
        }),
      ]).fps,
    ).toBe(NTSC);
  });

  it('derives the frame count from duration when the container stores none', () => {
    expect(readProbe([general, video({ FrameRate: 25, Duration: 2 })]).frameCount).toBe(50);
  });

  it('falls back to the general duration', () => {
    expect(readProbe([general, video({ FrameRate: 25 })])).toMatchObject({
      frameCount: 50,
      durationSeconds: 2,
    });
  });

  it('refuses a video without a frame rate, or without any frame count', () => {
    expect(() => readProbe([general, video({ FrameCount: 10 })])).toThrow(/frame rate cannot be read/);
    expect(() => readProbe([video({ FrameRate: 25 })])).toThrow(/frame count cannot be read/);
  });

  it('names the container when there is no video stream', () => {
    expect(() => readProbe([general, { '@type': 'Audio' } as unknown as Track])).toThrow(
      'no video stream found in the Matroska data',
    );
  });
});

/**
 * Intake, step three for videos: the frame rate and exact frame count the register call needs. MP4, QuickTime,
 * Matroska and WebM are parsed here (only their indexes and frame headers are read; see video/); AVI and anything
 * else go to mediainfo.js.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { describeFsError } from './fs-errors.ts';
import type { PositionalReader } from './video/byte-source.ts';
import { probeMatroska } from './video/probe-matroska.ts';
import { probeWithMediaInfo } from './video/probe-mediainfo.ts';
import { probeMp4 } from './video/probe-mp4.ts';
import { ProbeError } from './video/video-probe.ts';
import type { VideoProbe } from './video/video-probe.ts';

export { ProbeError } from './video/video-probe.ts';
export type { VideoProbe } from './video/video-probe.ts';
export { readProbe } from './video/probe-mediainfo.ts';

/** Top-level box types an MP4 or QuickTime file starts with. */
const MP4_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'styp']);

type Parser = (handle: PositionalReader, size: number) => Promise<VideoProbe>;

/** Picks the parser for a file from its first bytes. */
function parserFor(head: Uint8Array): Parser {
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return probeMatroska;
  if (head.length >= 8 && MP4_FIRST_BOXES.has(String.fromCharCode(...head.subarray(4, 8)))) return probeMp4;
  return probeWithMediaInfo;
}

/**
 * Reads fps, the exact frame count and (for a variable rate) the average rate of a video. Where the container has an
 * index or a duration, it reads only headers (at most 16 MiB or 10% of the file, whichever is larger); a Matroska or
 * WebM file with neither is read whole, and hashed on the way (`hashed`). Throws ProbeError with a clear reason for a
 * corrupt, truncated or unsupported file.
 */
export async function probeVideo(filePath: string): Promise<VideoProbe> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    throw new ProbeError(describeFsError(error));
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new ProbeError('empty file');
    const head = new Uint8Array(Math.min(8, size));
    await handle.read(head, 0, head.length, 0);
    return await parserFor(head)(handle, size);
  } catch (error) {
    if (error instanceof ProbeError) throw error;
    if ((error as NodeJS.ErrnoException).code) throw new ProbeError(describeFsError(error));
    throw error;
  } finally {
    await handle.close().catch(() => {});
  }
}

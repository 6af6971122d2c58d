/**
 * Intake, step three for videos: the frame rate and exact frame count the register call needs, read with
 * mediainfo.js (MediaInfoLib compiled to WebAssembly, so no native binary ships with the app). The file is fed to
 * MediaInfo in chunks through a file handle; MediaInfo seeks to the parts it needs and never sees the file whole.
 */
import { open } from 'node:fs/promises';
import mediaInfoFactory from 'mediainfo.js';
import type { MediaInfo, MediaInfoResult, Track } from 'mediainfo.js';
import { describeFsError } from './fs-errors.ts';

/** What the register call needs to know about a video. */
export interface VideoProbe {
  /** Frames per second, exact where the container says so (30000/1001 for NTSC "29.97", not 29.97 rounded). */
  fps: number;
  frameCount: number;
  durationSeconds: number;
  /** Codec name as MediaInfo reports it, e.g. "AVC", "VP9". */
  codec?: string;
  width?: number;
  height?: number;
}

/** A video that cannot be probed; the message is the item's failure reason. */
export class ProbeError extends Error {
  override name = 'ProbeError';
}

/** Bytes handed to MediaInfo per read. */
const CHUNK_BYTES = 256 * 1024;

let instance: Promise<MediaInfo<'object'>> | null = null;
/** MediaInfo analyses one file at a time per instance; probes queue here instead of failing. */
let queue: Promise<unknown> = Promise.resolve();

function getMediaInfo(): Promise<MediaInfo<'object'>> {
  instance ??= mediaInfoFactory({ format: 'object', chunkSize: CHUNK_BYTES }).catch((error: unknown) => {
    instance = null;
    throw error;
  });
  return instance;
}

/** Reads fps and the exact frame count with mediainfo.js (WebAssembly), reading the file in chunks (never whole). Throws ProbeError with a clear reason for a corrupt or unsupported file. */
export function probeVideo(filePath: string): Promise<VideoProbe> {
  const run = queue.then(() => probeNow(filePath));
  queue = run.catch(() => {});
  return run;
}

async function probeNow(filePath: string): Promise<VideoProbe> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    throw new ProbeError(describeFsError(error));
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new ProbeError('empty file');
    const mediainfo = await getMediaInfo();
    const readChunk = async (length: number, offset: number): Promise<Uint8Array> => {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    };
    let result: MediaInfoResult;
    try {
      result = await mediainfo.analyzeData(size, readChunk);
    } catch (error) {
      if (error instanceof ProbeError) throw error;
      const reason = (error as NodeJS.ErrnoException).code
        ? describeFsError(error)
        : 'the video could not be parsed';
      throw new ProbeError(`corrupt or unsupported video: ${reason}`);
    }
    return readProbe(result.media?.track ?? []);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Picks fps, frame count and duration out of MediaInfo's tracks; throws ProbeError when any is missing. */
export function readProbe(tracks: readonly Track[]): VideoProbe {
  const video = tracks.find((track) => track['@type'] === 'Video');
  const general = tracks.find((track) => track['@type'] === 'General');
  if (!video) {
    const format = general && 'Format' in general ? general.Format : undefined;
    throw new ProbeError(
      format
        ? `corrupt or unsupported video: no video stream found in the ${format} data (the file may be truncated or damaged)`
        : 'corrupt or unsupported video: no video stream found',
    );
  }
  const v = video as Track & Record<string, unknown>;
  const num = numberOf(v.FrameRate_Num);
  const den = numberOf(v.FrameRate_Den);
  // FrameRate is printed with three decimals (29.970); the rational gives the exact rate the container stores.
  const fps = num && den ? num / den : numberOf(v.FrameRate);
  if (!fps || fps <= 0)
    throw new ProbeError(
      'corrupt or unsupported video: its frame rate cannot be read (variable frame rate without a nominal rate?)',
    );

  const duration =
    numberOf(v.Duration) ?? numberOf((general as Record<string, unknown> | undefined)?.Duration);
  let frameCount = numberOf(v.FrameCount);
  if (frameCount === undefined && duration !== undefined) frameCount = Math.round(duration * fps);
  if (frameCount === undefined || !Number.isInteger(frameCount) || frameCount <= 0) {
    throw new ProbeError(
      'corrupt or unsupported video: its frame count cannot be read (the file may be truncated)',
    );
  }
  const probe: VideoProbe = { fps, frameCount, durationSeconds: duration ?? frameCount / fps };
  const codec = typeof v.Format === 'string' ? v.Format : undefined;
  if (codec) probe.codec = codec;
  const width = numberOf(v.Width);
  const height = numberOf(v.Height);
  if (width) probe.width = width;
  if (height) probe.height = height;
  return probe;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

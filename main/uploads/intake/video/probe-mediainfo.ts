/**
 * Videos in containers the app does not parse itself (AVI, and anything else MediaInfo knows), read with
 * mediainfo.js (MediaInfoLib compiled to WebAssembly, so no native binary ships with the app). The file is fed to
 * MediaInfo in chunks through a file handle; MediaInfo seeks to the parts it needs and never sees the file whole.
 */
import mediaInfoFactory from 'mediainfo.js';
import type { MediaInfo, MediaInfoResult, Track } from 'mediainfo.js';
import { describeFsError } from '../fs-errors.ts';
import type { PositionalReader } from './byte-source.ts';
import { CORRUPT, ProbeError } from './video-probe.ts';
import type { VideoProbe } from './video-probe.ts';

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

/** Reads fps and the exact frame count with mediainfo.js, reading the file in chunks (never whole). Throws ProbeError with a clear reason for a corrupt or unsupported file. */
export function probeWithMediaInfo(handle: PositionalReader, size: number): Promise<VideoProbe> {
  const run = queue.then(() => probeNow(handle, size));
  queue = run.catch(() => {});
  return run;
}

async function probeNow(handle: PositionalReader, size: number): Promise<VideoProbe> {
  const mediainfo = await getMediaInfo();
  let bytesRead = 0;
  const readChunk = async (length: number, offset: number): Promise<Uint8Array> => {
    const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
    const read = await handle.read(buffer, 0, buffer.length, offset);
    bytesRead += read.bytesRead;
    return buffer.subarray(0, read.bytesRead);
  };
  let result: MediaInfoResult;
  try {
    result = await mediainfo.analyzeData(size, readChunk);
  } catch (error) {
    if (error instanceof ProbeError) throw error;
    const reason = (error as NodeJS.ErrnoException).code
      ? describeFsError(error)
      : 'the video could not be parsed';
    throw new ProbeError(`${CORRUPT}: ${reason}`);
  }
  return { ...readProbe(result.media?.track ?? []), bytesRead };
}

/** Picks fps, frame count and duration out of MediaInfo's tracks; throws ProbeError when any is missing. */
export function readProbe(tracks: readonly Track[]): Omit<VideoProbe, 'bytesRead'> {
  const video = tracks.find((track) => track['@type'] === 'Video');
  const general = tracks.find((track) => track['@type'] === 'General');
  if (!video) {
    const format = general && 'Format' in general ? general.Format : undefined;
    throw new ProbeError(
      format
        ? `${CORRUPT}: no video stream found in the ${format} data (the file may be truncated or damaged)`
        : `${CORRUPT}: no video stream found`,
    );
  }
  const v = video as Track & Record<string, unknown>;
  const num = numberOf(v.FrameRate_Num);
  const den = numberOf(v.FrameRate_Den);
  // FrameRate is printed with three decimals (29.970); the rational gives the exact rate the container stores.
  const fps = num && den ? num / den : numberOf(v.FrameRate);
  if (!fps || fps <= 0)
    throw new ProbeError(
      `${CORRUPT}: its frame rate cannot be read (variable frame rate without a nominal rate?)`,
    );

  const duration =
    numberOf(v.Duration) ?? numberOf((general as Record<string, unknown> | undefined)?.Duration);
  let frameCount = numberOf(v.FrameCount);
  if (frameCount === undefined && duration !== undefined) frameCount = Math.round(duration * fps);
  if (frameCount === undefined || !Number.isInteger(frameCount) || frameCount <= 0) {
    throw new ProbeError(`${CORRUPT}: its frame count cannot be read (the file may be truncated)`);
  }
  const probe: Omit<VideoProbe, 'bytesRead'> = {
    fps,
    variableFrameRate: v.FrameRate_Mode === 'VFR',
    frameCount,
    durationSeconds: duration ?? frameCount / fps,
  };
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

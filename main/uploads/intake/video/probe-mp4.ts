/**
 * MP4 and QuickTime: the video track's frames from its sample table (and, in a fragmented file, from every movie
 * fragment's track runs), each frame's presentation time from its decode time plus composition offset. Only the
 * top-level box headers, the movie box and the fragment headers are read; the media data is skipped, wherever the
 * index sits (moov first, moov last, or spread over fragments).
 */
import { RandomAccessSource } from './byte-source.ts';
import type { PositionalReader } from './byte-source.ts';
import { BoxReader, boxesIn, childBox, readBoxHeader } from './mp4-boxes.ts';
import { rateFromTimestamps, reduce } from './frame-rate.ts';
import { CORRUPT, ProbeError } from './video-probe.ts';
import type { VideoProbe } from './video-probe.ts';

const CODEC_NAMES: Readonly<Record<string, string>> = {
  avc1: 'AVC',
  avc3: 'AVC',
  hvc1: 'HEVC',
  hev1: 'HEVC',
  vp08: 'VP8',
  vp09: 'VP9',
  av01: 'AV1',
  mp4v: 'MPEG-4 Visual',
  jpeg: 'JPEG',
  mjpa: 'JPEG',
  mjpb: 'JPEG',
};

/** A movie box larger than this is not a video this app can take (a 1 GiB file's is a few hundred KiB). */
const MAX_INDEX_BOX_BYTES = 256 * 1024 * 1024;

interface VideoTrack {
  id: number;
  timescale: number;
  codec: string;
  width: number;
  height: number;
  /** Frame durations of the sample table, as (count, delta) runs. */
  durations: Array<[number, number]>;
  /** Composition offsets of the sample table, as (count, offset) runs. */
  offsets: Array<[number, number]>;
  /** Default frame duration of fragments, from the movie extends box. */
  fragmentDefaultDuration: number;
}

/** Presentation times of the video track's frames, in its timescale, in decode order. */
class Timeline {
  readonly times: number[] = [];
  firstDuration: number | undefined;
  /** Decode time of the next frame. */
  next = 0;

  add(duration: number, compositionOffset: number): void {
    this.firstDuration ??= duration;
    this.times.push(this.next + compositionOffset);
    this.next += duration;
  }
}

/** Probes an MP4 or QuickTime file open at `handle`. */
export async function probeMp4(handle: PositionalReader, size: number): Promise<VideoProbe> {
  const source = new RandomAccessSource(handle, size);
  let track: VideoTrack | undefined;
  let sawMovie = false;
  const timeline = new Timeline();
  for (let pos = 0; pos < size;) {
    const box = await readBoxHeader(source, pos);
    if (!box) break;
    if (box.end > size) {
      // Its index says more than the file holds: the frames past the end cannot be shown (ffprobe counts fewer).
      if (track) {
        throw new ProbeError(
          `${CORRUPT}: the file is cut short (its ${box.type} box runs past the end; it may be truncated, or still being written)`,
        );
      }
      break;
    }
    if (box.type === 'moov' || box.type === 'moof') {
      if (box.end - box.dataStart > MAX_INDEX_BOX_BYTES) {
        throw new ProbeError(`${CORRUPT}: its ${box.type} box is too large to be an index`);
      }
      const data = await source.read(box.dataStart, box.end - box.dataStart);
      if (box.type === 'moov') {
        sawMovie = true;
        track = readMovie(data);
        if (track) addSampleTable(track, timeline);
      } else if (track) addFragment(data, track, timeline);
    }
    pos = box.end;
  }
  if (!track) {
    throw new ProbeError(
      sawMovie
        ? `${CORRUPT}: no video stream found in the MPEG-4 data`
        : `${CORRUPT}: no video stream found in the MPEG-4 data (the file may be truncated or damaged)`,
    );
  }
  const frameCount = timeline.times.length;
  if (frameCount === 0) {
    throw new ProbeError(`${CORRUPT}: its frame count cannot be read (the video track holds no frames)`);
  }
  const nominal = timeline.firstDuration ? reduce(track.timescale, timeline.firstDuration) : undefined;
  const rate = rateFromTimestamps(
    timeline.times,
    { num: 1, den: track.timescale },
    nominal ? { fps: nominal.num / nominal.den } : undefined,
  );
  const probe: VideoProbe = {
    fps: rate.fps,
    variableFrameRate: rate.variable,
    frameCount,
    durationSeconds: frameCount / rate.fps,
    codec: CODEC_NAMES[track.codec] ?? track.codec,
    bytesRead: source.bytesRead,
  };
  if (track.width) probe.width = track.width;
  if (track.height) probe.height = track.height;
  return probe;
}

/** The first video track of a movie box, with its sample table and fragment defaults. */
function readMovie(moov: Uint8Array): VideoTrack | undefined {
  const defaults = new Map<number, number>();
  const mvex = childBox(moov, 'mvex');
  if (mvex) {
    for (const { type, box } of boxesIn(mvex.data)) {
      if (type === 'trex' && box.length >= 16) defaults.set(box.u32(4), box.u32(12));
    }
  }
  for (const { type, box: trak } of boxesIn(moov)) {
    if (type !== 'trak') continue;
    const mdia = childBox(trak.data, 'mdia');
    const hdlr = mdia && childBox(mdia.data, 'hdlr');
    if (!mdia || !hdlr || hdlr.length < 12 || hdlr.fourcc(8) !== 'vide') continue;
    const tkhd = childBox(trak.data, 'tkhd');
    const mdhd = childBox(mdia.data, 'mdhd');
    if (!tkhd || !mdhd) continue;
    const id = tkhd.u8(0) === 1 ? tkhd.u32(20) : tkhd.u32(12);
    const timescale = mdhd.u8(0) === 1 ? mdhd.u32(20) : mdhd.u32(12);
    if (!timescale) continue;
    const stbl = childBox(childBox(mdia.data, 'minf')?.data ?? new Uint8Array(0), 'stbl');
    const track: VideoTrack = {
      id,
      timescale,
      codec: '',
      width: 0,
      height: 0,
      durations: [],
      offsets: [],
      fragmentDefaultDuration: defaults.get(id) ?? 0,
    };
    if (stbl) readSampleTable(stbl.data, track);
    return track;
  }
  return undefined;
}

function readSampleTable(stbl: Uint8Array, track: VideoTrack): void {
  const stsd = childBox(stbl, 'stsd');
  if (stsd && stsd.length >= 16) {
    const entry = new BoxReader(stsd.data.subarray(8));
    track.codec = entry.fourcc(4);
    if (entry.length >= 36) {
      track.width = entry.u16(32);
      track.height = entry.u16(34);
    }
  }
  const runs = (box: BoxReader | undefined): Array<[number, number]> => {
    if (!box || box.length < 8) return [];
    const count = Math.min(box.u32(4), Math.floor((box.length - 8) / 8));
    const out: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) out.push([box.u32(8 + i * 8), box.i32(12 + i * 8)]);
    return out;
  };
  track.durations = runs(childBox(stbl, 'stts')).map(([count, delta]) => [count, delta >>> 0]);
  track.offsets = runs(childBox(stbl, 'ctts'));
}

function addSampleTable(track: VideoTrack, timeline: Timeline): void {
  let offsetRun = 0;
  let offsetLeft = track.offsets[0]?.[0] ?? 0;
  for (const [count, delta] of track.durations) {
    for (let i = 0; i < count; i++) {
      while (offsetLeft === 0 && offsetRun + 1 < track.offsets.length)
        offsetLeft = track.offsets[++offsetRun]![0];
      const offset = offsetLeft > 0 ? track.offsets[offsetRun]![1] : 0;
      if (offsetLeft > 0) offsetLeft--;
      timeline.add(delta, offset);
    }
  }
}

/** Adds the video track's frames of one movie fragment. */
function addFragment(moof: Uint8Array, track: VideoTrack, timeline: Timeline): void {
  for (const { type, box: traf } of boxesIn(moof)) {
    if (type !== 'traf') continue;
    const tfhd = childBox(traf.data, 'tfhd');
    if (!tfhd || tfhd.length < 8 || tfhd.u32(4) !== track.id) continue;
    const tfhdFlags = tfhd.u32(0) & 0xffffff;
    let at = 8;
    if (tfhdFlags & 0x1) at += 8;
    if (tfhdFlags & 0x2) at += 4;
    const defaultDuration = tfhdFlags & 0x8 ? tfhd.u32(at) : track.fragmentDefaultDuration;
    const tfdt = childBox(traf.data, 'tfdt');
    if (tfdt) timeline.next = tfdt.u8(0) === 1 ? tfdt.u64(4) : tfdt.u32(4);
    for (const { type: runType, box: trun } of boxesIn(traf.data)) {
      if (runType !== 'trun' || trun.length < 8) continue;
      const flags = trun.u32(0) & 0xffffff;
      const count = trun.u32(4);
      let pos = 8;
      if (flags & 0x1) pos += 4;
      if (flags & 0x4) pos += 4;
      const stride =
        (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0) + (flags & 0x400 ? 4 : 0) + (flags & 0x800 ? 4 : 0);
      if (pos + count * stride > trun.length) {
        throw new ProbeError(`${CORRUPT}: a movie fragment's track run is cut short`);
      }
      for (let i = 0; i < count; i++) {
        let field = pos + i * stride;
        let duration = defaultDuration;
        if (flags & 0x100) {
          duration = trun.u32(field);
          field += 4;
        }
        if (flags & 0x200) field += 4;
        if (flags & 0x400) field += 4;
        const offset = flags & 0x800 ? trun.i32(field) : 0;
        timeline.add(duration, offset);
      }
    }
  }
}

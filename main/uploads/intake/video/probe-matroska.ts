/**
 * Matroska and WebM: the video track's rate from its DefaultDuration, checked against every frame's timestamp, and
 * the exact frame count from the blocks themselves. Only element headers are read; frame data is skipped. A file
 * with a duration or an index (Cues) is read in small windows where the headers are. A file with neither (what
 * MediaRecorder and encoders writing to a pipe produce, often with clusters of unknown size) is read whole, in
 * order, and hashed on the way, so that intake need not read it again for its MD5.
 */
import { RandomAccessSource, SequentialSource } from './byte-source.ts';
import type { ByteSource, PositionalReader } from './byte-source.ts';
import { childrenOf, readElementHeader, readFloat, readString, readUint, readVint } from './ebml.ts';
import type { ElementHeader } from './ebml.ts';
import { rateFromPeriodNs, rateFromTimestamps } from './frame-rate.ts';
import { CORRUPT, ProbeError } from './video-probe.ts';
import type { VideoProbe } from './video-probe.ts';

const ID = {
  ebml: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  seekHead: 0x114d9b74,
  seek: 0x4dbb,
  seekId: 0x53ab,
  info: 0x1549a966,
  timestampScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackType: 0x83,
  codecId: 0x86,
  defaultDuration: 0x23e383,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  cluster: 0x1f43b675,
  timestamp: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
  cues: 0x1c53bb6b,
  tags: 0x1254c367,
  chapters: 0x1043a770,
  attachments: 0x1941a469,
} as const;

/** Elements that sit directly in the Segment: one of them ends a cluster of unknown size. */
const TOP_LEVEL = new Set<number>([
  ID.cluster,
  ID.cues,
  ID.tags,
  ID.seekHead,
  ID.info,
  ID.tracks,
  ID.chapters,
  ID.attachments,
  ID.ebml,
]);

/** Header elements (SeekHead, Info, Tracks) larger than this are not a video this app can take. */
const MAX_HEADER_ELEMENT_BYTES = 16 * 1024 * 1024;
/** A block's header: track number (up to 8 bytes), relative timestamp (2), flags (1), lace count (1). */
const BLOCK_HEADER_BYTES = 12;
const TRACK_TYPE_VIDEO = 1;

const CODEC_NAMES: Readonly<Record<string, string>> = {
  'V_MPEG4/ISO/AVC': 'AVC',
  'V_MPEGH/ISO/HEVC': 'HEVC',
  V_VP8: 'VP8',
  V_VP9: 'VP9',
  V_AV1: 'AV1',
  'V_MPEG4/ISO/ASP': 'MPEG-4 Visual',
  'V_MPEG4/ISO/SP': 'MPEG-4 Visual',
  V_MJPEG: 'JPEG',
};

interface VideoTrack {
  number: number;
  codecId: string;
  defaultDurationNs?: number;
  width?: number;
  height?: number;
}

interface SegmentHead {
  docType: string;
  segmentEnd: number;
  firstCluster: number | null;
  timestampScale: number;
  hasDuration: boolean;
  hasIndex: boolean;
  track: VideoTrack | undefined;
}

/** Frames of the video track, with the timestamp (in TimestampScale ticks) of each one that has its own. */
interface FrameTally {
  frames: number;
  timestamps: number[];
}

/** Probes a Matroska or WebM file open at `handle`. */
export async function probeMatroska(handle: PositionalReader, size: number): Promise<VideoProbe> {
  const random = new RandomAccessSource(handle, size);
  const head = await readSegmentHead(random);
  const container = head.docType === 'webm' ? 'WebM' : 'Matroska';
  const track = head.track;
  if (!track) throw new ProbeError(`${CORRUPT}: no video stream found in the ${container} data`);
  const sequential = head.hasDuration || head.hasIndex ? null : new SequentialSource(handle, size);
  const source = sequential ?? random;
  const tally =
    head.firstCluster === null ? { frames: 0, timestamps: [] } : await walkClusters(source, head, track);
  const hashed = sequential ? await sequential.finish() : undefined;
  if (tally.frames === 0) {
    throw new ProbeError(
      `${CORRUPT}: its frame count cannot be read (no frames found in the ${container} data; the file may be truncated)`,
    );
  }
  const nominal = track.defaultDurationNs ? { fps: rateFromPeriodNs(track.defaultDurationNs) } : undefined;
  const rate = rateFromTimestamps(tally.timestamps, { num: head.timestampScale, den: 1e9 }, nominal);
  const probe: VideoProbe = {
    fps: rate.fps,
    variableFrameRate: rate.variable,
    frameCount: tally.frames,
    durationSeconds: tally.frames / rate.fps,
    codec: CODEC_NAMES[track.codecId] ?? track.codecId,
    bytesRead: random.bytesRead + (sequential?.bytesRead ?? 0),
  };
  if (track.width) probe.width = track.width;
  if (track.height) probe.height = track.height;
  if (hashed) probe.hashed = hashed;
  return probe;
}

async function readWhole(source: ByteSource, element: ElementHeader, what: string): Promise<Uint8Array> {
  if (element.size === null || element.size > MAX_HEADER_ELEMENT_BYTES) {
    throw new ProbeError(`${CORRUPT}: its ${what} cannot be read`);
  }
  const data = await source.read(element.dataStart, element.size);
  if (data.length < element.size) {
    throw new ProbeError(`${CORRUPT}: its ${what} is cut short (the file may be truncated)`);
  }
  return data;
}

/** Reads the EBML header and the Segment's elements up to the first Cluster. */
async function readSegmentHead(source: RandomAccessSource): Promise<SegmentHead> {
  const ebml = await readElementHeader(source, 0);
  if (!ebml || ebml.id !== ID.ebml) throw new ProbeError(`${CORRUPT}: not a Matroska or WebM file`);
  let docType = 'matroska';
  for (const child of childrenOf(await readWhole(source, ebml, 'EBML header'))) {
    if (child.id === ID.docType) docType = readString(child.data);
  }
  const segment = await readElementHeader(source, ebml.dataStart + (ebml.size ?? 0));
  if (!segment || segment.id !== ID.segment) {
    throw new ProbeError(`${CORRUPT}: no Matroska segment found (the file may be truncated)`);
  }
  if (segment.size !== null && segment.dataStart + segment.size > source.size) {
    // Written to disk with its size known, and less of it here: frames (and the index) are missing.
    throw new ProbeError(
      `${CORRUPT}: the file is cut short (its segment runs past the end; it may be truncated, or still being written)`,
    );
  }
  const segmentEnd = segment.size === null ? source.size : segment.dataStart + segment.size;
  const head: SegmentHead = {
    docType,
    segmentEnd,
    firstCluster: null,
    timestampScale: 1_000_000,
    hasDuration: false,
    hasIndex: false,
    track: undefined,
  };
  let pos = segment.dataStart;
  while (pos < segmentEnd) {
    const element = await readElementHeader(source, pos);
    if (!element) break;
    if (element.id === ID.cluster) {
      head.firstCluster = pos;
      break;
    }
    if (element.id === ID.seekHead) readSeekHead(await readWhole(source, element, 'seek head'), head);
    else if (element.id === ID.info) readInfo(await readWhole(source, element, 'segment info'), head);
    else if (element.id === ID.tracks)
      head.track = readTracks(await readWhole(source, element, 'track list'));
    else if (element.id === ID.cues) head.hasIndex = true;
    if (element.size === null) {
      throw new ProbeError(`${CORRUPT}: an element of unknown size where only clusters may have one`);
    }
    pos = element.dataStart + element.size;
  }
  return head;
}

function readSeekHead(data: Uint8Array, head: SegmentHead): void {
  for (const seek of childrenOf(data)) {
    if (seek.id !== ID.seek) continue;
    for (const field of childrenOf(seek.data)) {
      if (field.id === ID.seekId && readUint(field.data) === ID.cues) head.hasIndex = true;
    }
  }
}

function readInfo(data: Uint8Array, head: SegmentHead): void {
  for (const field of childrenOf(data)) {
    if (field.id === ID.timestampScale) head.timestampScale = readUint(field.data) || 1_000_000;
    if (field.id === ID.duration && readFloat(field.data) > 0) head.hasDuration = true;
  }
}

/** The first video track. */
function readTracks(data: Uint8Array): VideoTrack | undefined {
  for (const entry of childrenOf(data)) {
    if (entry.id !== ID.trackEntry) continue;
    let type = 0;
    const track: VideoTrack = { number: 0, codecId: '' };
    for (const field of childrenOf(entry.data)) {
      if (field.id === ID.trackNumber) track.number = readUint(field.data);
      else if (field.id === ID.trackType) type = readUint(field.data);
      else if (field.id === ID.codecId) track.codecId = readString(field.data);
      else if (field.id === ID.defaultDuration) track.defaultDurationNs = readUint(field.data) || undefined;
      else if (field.id === ID.video) {
        for (const dimension of childrenOf(field.data)) {
          if (dimension.id === ID.pixelWidth) track.width = readUint(dimension.data);
          if (dimension.id === ID.pixelHeight) track.height = readUint(dimension.data);
        }
      }
    }
    if (type === TRACK_TYPE_VIDEO && track.number > 0) return track;
  }
  return undefined;
}

/** Walks every cluster from the first one, reading block headers only. */
async function walkClusters(source: ByteSource, head: SegmentHead, track: VideoTrack): Promise<FrameTally> {
  const tally: FrameTally = { frames: 0, timestamps: [] };
  // Frames laced into one block share its timestamp; the rest follow at the track's period, when it has one.
  const lacedStepTicks = track.defaultDurationNs ? track.defaultDurationNs / head.timestampScale : undefined;
  const end = head.segmentEnd;
  let pos = head.firstCluster ?? end;
  while (pos < end) {
    const element = await readElementHeader(source, pos);
    if (!element) break;
    if (element.id === ID.cluster) {
      pos = await walkCluster(source, element, end, track.number, lacedStepTicks, tally);
      continue;
    }
    if (element.size === null) break;
    pos = element.dataStart + element.size;
  }
  return tally;
}

/** Counts the video track's frames in one cluster; returns where the next element starts. */
async function walkCluster(
  source: ByteSource,
  cluster: ElementHeader,
  end: number,
  trackNumber: number,
  lacedStepTicks: number | undefined,
  tally: FrameTally,
): Promise<number> {
  const clusterEnd = cluster.size === null ? end : Math.min(cluster.dataStart + cluster.size, end);
  let clusterTimestamp = 0;
  const countBlock = async (dataStart: number): Promise<void> => {
    const header = await source.read(dataStart, BLOCK_HEADER_BYTES);
    const number = readVint(header, 0);
    if (!number || number.value !== trackNumber || header.length < number.length + 3) return;
    const relative = (((header[number.length]! << 8) | header[number.length + 1]!) << 16) >> 16;
    const flags = header[number.length + 2]!;
    const laced = (flags >> 1) & 3;
    const frames = laced ? (header[number.length + 3] ?? 0) + 1 : 1;
    const timestamp = clusterTimestamp + relative;
    tally.frames += frames;
    tally.timestamps.push(timestamp);
    if (lacedStepTicks)
      for (let k = 1; k < frames; k++) tally.timestamps.push(timestamp + k * lacedStepTicks);
  };
  let pos = cluster.dataStart;
  while (pos < clusterEnd) {
    const child = await readElementHeader(source, pos);
    if (!child) return end;
    if (cluster.size === null && TOP_LEVEL.has(child.id)) return pos;
    if (child.size === null) return end;
    const childEnd = child.dataStart + child.size;
    // A block cut off by the end of the file is not a frame any decoder shows.
    if (childEnd > source.size) return end;
    if (child.id === ID.timestamp)
      clusterTimestamp = readUint(await source.read(child.dataStart, child.size));
    else if (child.id === ID.simpleBlock) await countBlock(child.dataStart);
    else if (child.id === ID.blockGroup) {
      let inner = child.dataStart;
      while (inner < childEnd) {
        const part = await readElementHeader(source, inner);
        if (!part || part.size === null) break;
        if (part.id === ID.block) await countBlock(part.dataStart);
        inner = part.dataStart + part.size;
      }
    }
    pos = childEnd;
  }
  return clusterEnd;
}

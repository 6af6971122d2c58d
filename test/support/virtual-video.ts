/**
 * Large videos that exist only in memory: the bytes of their headers at their offsets, zeros everywhere else (the
 * frame data). A probe reads them through the same positional reads as a file, and each one counts what was read,
 * so a test can see how much of a 1 GiB video the probe touched without writing 1 GiB to disk.
 */
import type { PositionalReader } from '../../main/uploads/intake/video/byte-source.ts';

/** Bytes placed at an offset of a virtual file. */
interface Piece {
  offset: number;
  bytes: Uint8Array;
}

/** A file of `size` bytes: the pieces where they are put, zeros elsewhere. Counts every byte read. */
export class VirtualFile implements PositionalReader {
  bytesRead = 0;
  readonly size: number;
  private readonly pieces: Piece[];

  constructor(size: number, pieces: Piece[]) {
    this.size = size;
    this.pieces = [...pieces].sort((a, b) => a.offset - b.offset);
  }

  async read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }> {
    const end = Math.min(position + length, this.size);
    const count = Math.max(0, end - position);
    buffer.fill(0, offset, offset + count);
    for (const piece of this.piecesOverlapping(position, end)) {
      const from = Math.max(piece.offset, position);
      const to = Math.min(piece.offset + piece.bytes.length, end);
      buffer.set(piece.bytes.subarray(from - piece.offset, to - piece.offset), offset + from - position);
    }
    this.bytesRead += count;
    return { bytesRead: count };
  }

  /** Pieces that overlap [start, end), found by binary search on their offsets. */
  private *piecesOverlapping(start: number, end: number): Generator<Piece> {
    let low = 0;
    let high = this.pieces.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const piece = this.pieces[mid]!;
      if (piece.offset + piece.bytes.length <= start) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.pieces.length && this.pieces[i]!.offset < end; i++) yield this.pieces[i]!;
  }
}

// ── Matroska ───────────────────────────────────────────────────────────────────────────────────────────────

/** An EBML ID's bytes (the marker bit is part of the ID). */
function idBytes(id: number): number[] {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return out;
}

/** An element size as an 8-byte variable-length integer (0x01 marker, 7 bytes of value); null is "unknown". */
function sizeBytes(size: number | null): number[] {
  if (size === null) return [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  const out = [0x01];
  for (let shift = 6; shift >= 0; shift--) out.push(Math.floor(size / 256 ** shift) % 256);
  return out;
}

const uintBytes = (value: number): number[] => {
  const out: number[] = [];
  for (let v = value; v > 0 || out.length === 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return out;
};

const element = (id: number, payload: number[]): number[] => [
  ...idBytes(id),
  ...sizeBytes(payload.length),
  ...payload,
];
const uintElement = (id: number, value: number): number[] => element(id, uintBytes(value));
const stringElement = (id: number, text: string): number[] => element(id, [...Buffer.from(text, 'latin1')]);
const floatElement = (id: number, value: number): number[] => {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(value);
  return element(id, [...bytes]);
};

/** What a virtual Matroska file holds: one video track of `frames` frames of `frameBytes` each. */
interface MatroskaPlan {
  frames: number;
  frameBytes: number;
  /** The track's DefaultDuration in nanoseconds (33366667 for 30000/1001). */
  periodNs: number;
  framesPerCluster: number;
  /** Write the segment's Duration (a file written to disk); without it, the file is what a pipe or a recorder gives. */
  withDuration: boolean;
}

/**
 * A Matroska file of the plan's frames, with TimestampScale 1 ms: each frame's timestamp is its time rounded to the
 * millisecond, as muxers write it. Without a duration, the segment and every cluster are of unknown size.
 */
export function virtualMatroska(plan: MatroskaPlan): VirtualFile {
  const pieces: Piece[] = [];
  let at = 0;
  const put = (bytes: number[]): void => {
    pieces.push({ offset: at, bytes: Uint8Array.from(bytes) });
    at += bytes.length;
  };
  put(element(0x1a45dfa3, stringElement(0x4282, 'matroska')));
  put([...idBytes(0x18538067), ...sizeBytes(null)]);
  const durationMs = (plan.frames * plan.periodNs) / 1e6;
  put(
    element(0x1549a966, [
      ...uintElement(0x2ad7b1, 1_000_000),
      ...(plan.withDuration ? floatElement(0x4489, durationMs) : []),
    ]),
  );
  put(
    element(0x1654ae6b, [
      ...element(0xae, [
        ...uintElement(0xd7, 1),
        ...uintElement(0x83, 1),
        ...stringElement(0x86, 'V_VP9'),
        ...uintElement(0x23e383, plan.periodNs),
        ...element(0xe0, [...uintElement(0xb0, 1920), ...uintElement(0xba, 1080)]),
      ]),
    ]),
  );
  // A SimpleBlock: track 1 (0x81), a 16-bit timestamp relative to the cluster, flags (keyframe), then the frame.
  const blockBytes = 4 + plan.frameBytes;
  for (let first = 0; first < plan.frames; first += plan.framesPerCluster) {
    const count = Math.min(plan.framesPerCluster, plan.frames - first);
    const clusterMs = Math.round((first * plan.periodNs) / 1e6);
    const timestamp = uintElement(0xe7, clusterMs);
    const clusterSize = timestamp.length + count * (1 + 8 + blockBytes);
    put([...idBytes(0x1f43b675), ...sizeBytes(plan.withDuration ? clusterSize : null), ...timestamp]);
    for (let i = first; i < first + count; i++) {
      const relative = Math.round((i * plan.periodNs) / 1e6) - clusterMs;
      put([0xa3, ...sizeBytes(blockBytes), 0x81, (relative >> 8) & 0xff, relative & 0xff, 0x80]);
      at += plan.frameBytes;
    }
  }
  return new VirtualFile(at, pieces);
}

// ── MP4 ─────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * An MP4 with its movie box last: the `ftyp` and `moov` boxes of `small` (a real MP4, moov anywhere) around one
 * `mdat` box of zeros that brings the file to `size`. The sample table still describes `small`'s frames.
 */
export function virtualMp4MoovLast(small: Uint8Array, size: number): VirtualFile {
  const boxes = new Map<string, Uint8Array>();
  for (let pos = 0; pos + 8 <= small.length;) {
    const length = new DataView(small.buffer, small.byteOffset + pos, 8).getUint32(0);
    const type = String.fromCharCode(...small.subarray(pos + 4, pos + 8));
    boxes.set(type, small.subarray(pos, pos + length));
    if (length < 8) break;
    pos += length;
  }
  const ftyp = boxes.get('ftyp');
  const moov = boxes.get('moov');
  if (!ftyp || !moov) throw new Error('the MP4 has no ftyp or moov box');
  const mdatSize = size - ftyp.length - moov.length;
  const mdatHeader = new Uint8Array(16);
  const view = new DataView(mdatHeader.buffer);
  view.setUint32(0, 1); // a 64-bit size follows the type
  mdatHeader.set(Buffer.from('mdat', 'latin1'), 4);
  view.setBigUint64(8, BigInt(mdatSize));
  return new VirtualFile(size, [
    { offset: 0, bytes: ftyp },
    { offset: ftyp.length, bytes: mdatHeader },
    { offset: ftyp.length + mdatSize, bytes: moov },
  ]);
}

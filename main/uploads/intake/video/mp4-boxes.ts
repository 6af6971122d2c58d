/**
 * ISO base media boxes (MP4, QuickTime): a 32-bit size and a four-letter type, a 64-bit size when the first is 1,
 * "to the end of the file" when it is 0.
 */
import type { ByteSource } from './byte-source.ts';

/** A box found in the file: its type and where its payload lies. */
interface BoxHeader {
  type: string;
  dataStart: number;
  /** Offset just past the box. */
  end: number;
}

const fourcc = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));

/** Big-endian reads over a box payload. */
export class BoxReader {
  private readonly view: DataView;
  readonly data: Uint8Array;
  constructor(data: Uint8Array) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  get length(): number {
    return this.data.length;
  }
  u8(at: number): number {
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    return this.view.getUint16(at);
  }
  u32(at: number): number {
    return this.view.getUint32(at);
  }
  i32(at: number): number {
    return this.view.getInt32(at);
  }
  u64(at: number): number {
    return Number(this.view.getBigUint64(at));
  }
  fourcc(at: number): string {
    return fourcc(this.data, at);
  }
}

/** Reads the box header at `offset` of the file; null at the end or where no box fits. */
export async function readBoxHeader(source: ByteSource, offset: number): Promise<BoxHeader | null> {
  const bytes = await source.read(offset, 16);
  if (bytes.length < 8) return null;
  const reader = new BoxReader(bytes);
  const size32 = reader.u32(0);
  const type = reader.fourcc(4);
  if (size32 === 1) {
    if (bytes.length < 16) return null;
    const size = reader.u64(8);
    return size < 16 ? null : { type, dataStart: offset + 16, end: offset + size };
  }
  if (size32 === 0) return { type, dataStart: offset + 8, end: source.size };
  return size32 < 8 ? null : { type, dataStart: offset + 8, end: offset + size32 };
}

/** The boxes inside a payload held whole in memory. */
export function* boxesIn(data: Uint8Array): Generator<{ type: string; box: BoxReader }> {
  let pos = 0;
  while (pos + 8 <= data.length) {
    const reader = new BoxReader(data.subarray(pos));
    let size = reader.u32(0);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > data.length) return;
      size = reader.u64(8);
      header = 16;
    } else if (size === 0) size = data.length - pos;
    if (size < header) return;
    const end = Math.min(pos + size, data.length);
    yield { type: reader.fourcc(4), box: new BoxReader(data.subarray(pos + header, end)) };
    pos += size;
  }
}

/** The first child box of `type` in a payload. */
export function childBox(data: Uint8Array, type: string): BoxReader | undefined {
  for (const child of boxesIn(data)) if (child.type === type) return child.box;
  return undefined;
}

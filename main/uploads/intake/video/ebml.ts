/**
 * EBML, the binary layout under Matroska and WebM: each element is an ID and a size, both variable-length integers
 * (the position of the first set bit gives the length), then the payload. A size with every value bit set means
 * "unknown": the element runs until something that cannot be inside it (what encoders writing to a pipe do).
 */
import type { ByteSource } from './byte-source.ts';

/** An element's header: its ID (marker bit kept, as the specification writes IDs), where its payload starts and ends. */
export interface ElementHeader {
  id: number;
  /** Offset of the element's first byte. */
  start: number;
  dataStart: number;
  /** Payload length; null when unknown. */
  size: number | null;
}

/** Longest header: a 4-byte ID and an 8-byte size. */
const MAX_HEADER_BYTES = 12;

/** Length of a variable-length integer from its first byte; 0 when the byte cannot start one. */
function vintLength(first: number): number {
  for (let length = 1; length <= 8; length++) if (first & (0x80 >> (length - 1))) return length;
  return 0;
}

/** Reads a variable-length integer at `pos`: its value without the marker, its length, and whether it is "unknown". */
export function readVint(
  bytes: Uint8Array,
  pos: number,
): { value: number; length: number; unknown: boolean } | null {
  const first = bytes[pos];
  if (first === undefined) return null;
  const length = vintLength(first);
  if (length === 0 || pos + length > bytes.length) return null;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[pos + i]!;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, unknown: allOnes };
}

/** Reads an element ID at `pos` (the marker bit is part of the ID). */
function readId(bytes: Uint8Array, pos: number): { id: number; length: number } | null {
  const first = bytes[pos];
  if (first === undefined) return null;
  const length = vintLength(first);
  if (length === 0 || length > 4 || pos + length > bytes.length) return null;
  let id = 0;
  for (let i = 0; i < length; i++) id = id * 256 + bytes[pos + i]!;
  return { id, length };
}

/** Reads the element header at `offset`; null at the end of the file or where no header can be read. */
export async function readElementHeader(source: ByteSource, offset: number): Promise<ElementHeader | null> {
  const bytes = await source.read(offset, MAX_HEADER_BYTES);
  const id = readId(bytes, 0);
  if (!id) return null;
  const size = readVint(bytes, id.length);
  if (!size) return null;
  return {
    id: id.id,
    start: offset,
    dataStart: offset + id.length + size.length,
    size: size.unknown ? null : size.value,
  };
}

/** The children of an element held whole in `bytes` (payload only), as ID and payload slices. */
export function* childrenOf(bytes: Uint8Array): Generator<{ id: number; data: Uint8Array }> {
  let pos = 0;
  while (pos < bytes.length) {
    const id = readId(bytes, pos);
    if (!id) return;
    const size = readVint(bytes, pos + id.length);
    if (!size || size.unknown) return;
    const dataStart = pos + id.length + size.length;
    const dataEnd = Math.min(dataStart + size.value, bytes.length);
    yield { id: id.id, data: bytes.subarray(dataStart, dataEnd) };
    pos = dataStart + size.value;
  }
}

/** An unsigned integer payload. */
export function readUint(data: Uint8Array): number {
  let value = 0;
  for (const byte of data) value = value * 256 + byte;
  return value;
}

/** A float payload (4 or 8 bytes, big-endian); NaN for any other length. */
export function readFloat(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length === 4) return view.getFloat32(0);
  if (data.length === 8) return view.getFloat64(0);
  return Number.NaN;
}

/** A string payload (ASCII or UTF-8), without trailing NULs. */
export function readString(data: Uint8Array): string {
  return new TextDecoder().decode(data).replace(/\0+$/, '');
}

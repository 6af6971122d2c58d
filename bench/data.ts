/**
 * Benchmark inputs, generated in a temp folder: small JPEG images, one large MP4, a tree of many tiny files.
 * Every file is a real file of its type (a committed fixture's bytes first), padded to the wanted size with
 * pseudo-random bytes so that no two files share content (content hashes and ETags stay distinct).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FIXTURES = new URL('../test/fixtures/media/', import.meta.url);
/** A 16x12 JPEG: trailing bytes after its end-of-image marker are ignored by decoders and sniffers alike. */
const JPEG_FIXTURE = 'image-16x12.jpg';
/** An MP4 with moov first (30000/1001 fps, 45 frames); a trailing `free` box is padding every parser skips. */
const MP4_FIXTURE = 'h264-29.97fps-45frames.mp4';
/** What the MP4 fixture's header says, for the contenders that must send fps and frame count themselves. */
export const PADDED_VIDEO_FACTS = { fps: 30000 / 1001, frameCount: 45 } as const;

function fixture(name: string): Buffer {
  try {
    return readFileSync(new URL(name, FIXTURES));
  } catch {
    throw new Error(
      `the media fixture test/fixtures/media/${name} is missing; the bench builds its inputs from it`,
    );
  }
}

/** Writes `count` JPEG files of exactly `size` bytes into `dir`; returns their paths in name order. */
export async function makeImages(dir: string, count: number, size: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const head = fixture(JPEG_FIXTURE);
  if (size < head.length) throw new Error(`image size ${size} is below the fixture's ${head.length} bytes`);
  const paths = Array.from({ length: count }, (_, i) =>
    join(dir, `image-${String(i + 1).padStart(6, '0')}.jpg`),
  );
  const pool = randomBytes(size + count * 16);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const index = next++;
      // Overlapping windows into one random pool: distinct content without generating count x size random bytes.
      const padding = pool.subarray(index * 16, index * 16 + size - head.length);
      await writeFile(paths[index] as string, Buffer.concat([head, padding]));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return paths;
}

/** Writes one valid MP4 of exactly `size` bytes: the fixture, then a `free` box that fills the rest. */
export function makePaddedVideo(path: string, size: number): void {
  const head = fixture(MP4_FIXTURE);
  const boxSize = size - head.length;
  if (boxSize < 8 || boxSize > 0xffffffff)
    throw new Error(`video size ${size} cannot be padded with one free box`);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(boxSize, 0);
    header.write('free', 4, 'latin1');
    writeSync(fd, header);
    const block = randomBytes(4 * 1024 * 1024);
    let left = boxSize - 8;
    while (left > 0) {
      const n = Math.min(left, block.length);
      block.writeUInt32LE(left >>> 0, 0);
      writeSync(fd, block, 0, n);
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes `count` tiny JPEG files into `dir`, `perFolder` to a subfolder; returns the file count written. */
export function makeTree(dir: string, count: number, perFolder = 1000): number {
  const head = fixture(JPEG_FIXTURE);
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `folder-${String(Math.floor(i / perFolder)).padStart(4, '0')}`);
    if (i % perFolder === 0) mkdirSync(folder, { recursive: true });
    const tail = Buffer.alloc(8);
    tail.writeBigUInt64LE(BigInt(i));
    writeFileSync(join(folder, `file-${String(i).padStart(7, '0')}.jpg`), Buffer.concat([head, tail]));
  }
  return count;
}

/** Writes a newline-separated list of paths (what the curl scripts read). */
export function writeList(path: string, paths: readonly string[]): void {
  writeFileSync(path, `${paths.join('\n')}\n`);
}

/** A folder of mixed files for the add-by-path round trip: images from the fixtures, a document, and junk. */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MEDIA = join(process.cwd(), 'test/fixtures/media');
const IMAGES = ['image-16x12.png', 'image-16x12.jpg', 'image-16x12.gif', 'image-16x12.webp'];

interface MixedFolder {
  path: string;
  images: number;
  /** Files the scan must skip (junk), each with a reason. */
  junk: number;
}

/** Writes `images` image files (copies of the fixtures under distinct names) plus a notes file and junk. */
export async function makeMixedFolder(dir: string, images: number): Promise<MixedFolder> {
  await mkdir(join(dir, 'nested'), { recursive: true });
  for (let i = 0; i < images; i += 1) {
    const source = IMAGES[i % IMAGES.length] as string;
    const ext = source.slice(source.lastIndexOf('.'));
    const where = i % 3 === 0 ? join(dir, 'nested') : dir;
    await copyFile(join(MEDIA, source), join(where, `shelf-${String(i).padStart(3, '0')}${ext}`));
  }
  await writeFile(join(dir, 'readme.xyz'), 'neither an image, a video nor a document');
  await writeFile(join(dir, 'archive.bin'), Buffer.from([0, 1, 2, 3, 255, 254]));
  return { path: dir, images, junk: 2 };
}

/** `count` PNGs named `<prefix>-1.png` … in `dir`, plus an empty file when asked; returns `dir`. */
export async function pngFolder(dir: string, prefix: string, count: number, empty = false): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let i = 1; i <= count; i++)
    await copyFile(join(MEDIA, 'image-16x12.png'), join(dir, `${prefix}-${i}.png`));
  if (empty) await writeFile(join(dir, 'empty.png'), '');
  return dir;
}

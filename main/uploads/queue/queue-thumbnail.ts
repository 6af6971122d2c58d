/**
 * The preview of a queued image, for its details. Only an item of the connected profile's queue is read, only while
 * the file is the one queued (same size and date, not a link), only up to THUMBNAIL_MAX_BYTES, and only when its
 * first bytes say PNG, JPEG, GIF or WebP (never SVG, which could carry script). It goes to the renderer through the
 * contract, so the headless host serves it only over its token-guarded socket, never as a URL.
 */
import { lstat, open } from 'node:fs/promises';
import type { ItemThumbnail } from '../../../common/api.ts';
import { fileChange } from '../steps/probe-step.ts';
import type { Journal } from '../journal/journal.ts';
import { getItem } from '../journal/items.ts';
import { getTarget } from '../journal/targets.ts';

/** Largest file previewed: the dialog shows a thumbnail, not a viewer. */
const THUMBNAIL_MAX_BYTES = 4 * 1024 * 1024;

/** The image type named by a file's first bytes, or null. */
function imageMime(head: Uint8Array): string | null {
  const starts = (bytes: number[], at = 0): boolean => bytes.every((b, i) => head[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/** The preview of item `id` when it is a file of `server`'s queue and an image as queued. */
export async function itemThumbnail(journal: Journal, server: string, id: number): Promise<ItemThumbnail> {
  const item = getItem(journal, id);
  const target = item ? getTarget(journal, item.targetId) : undefined;
  if (!item || !target || target.server !== server || item.kind !== 'file')
    return { unavailable: 'No preview: this is not a file in the queue.' };
  if (item.size > THUMBNAIL_MAX_BYTES) return { unavailable: 'No preview: the file is larger than 4 MB.' };
  try {
    if ((await lstat(item.path)).isSymbolicLink()) return { unavailable: 'No preview for a link.' };
  } catch {
    return { unavailable: 'No preview: the file is no longer there.' };
  }
  if (await fileChange(item)) return { unavailable: 'No preview: the file changed since it was added.' };
  const file = await open(item.path, 'r');
  try {
    const bytes = Buffer.alloc(item.size);
    const { bytesRead } = await file.read(bytes, 0, item.size, 0);
    const mime = imageMime(bytes.subarray(0, Math.min(bytesRead, 16)));
    if (!mime || bytesRead !== item.size)
      return { unavailable: 'No preview: not a PNG, JPEG, GIF or WebP image.' };
    return { dataUrl: `data:${mime};base64,${bytes.toString('base64')}` };
  } finally {
    await file.close();
  }
}

/**
 * Offers a file the engine wrote as a download in the browser host: its short-lived signed link, clicked through
 * a hidden anchor so the browser saves it (the route answers as an attachment). The desktop app has no link: the
 * file is already in the download folder.
 */
import type { SavedFile } from '../common/api.ts';

/** Starts the browser's download of the file; false when there is no link (the desktop app). */
export function startDownload(file: SavedFile): boolean {
  if (!file.href || typeof document === 'undefined') return false;
  const anchor = document.createElement('a');
  anchor.href = file.href;
  anchor.download = file.name;
  anchor.rel = 'noreferrer';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  return true;
}

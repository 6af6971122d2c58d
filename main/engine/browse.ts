/**
 * The headless host's folder browser: a browser has no file paths, so "Add folder…" lists folders on the host,
 * limited to the roots the user allowed. The path is checked like every path argument (allowed-roots.ts), so a
 * path outside the roots gets one answer whether or not it exists. A link inside a root that leads outside it is
 * listed as a dangling link is (an empty file): its target's size and kind stay unknown.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BrowseEntry, BrowseListing } from '../../common/api.ts';
import { checkPathAllowed, rootOf } from './allowed-roots.ts';
import { EngineError } from './errors.ts';

export { resolveRoots } from './allowed-roots.ts';

/** Most entries returned for one folder (the rest are counted out, not sent). */
const MAX_ENTRIES = 5000;
/** Folders whose entries are counted for the listing (a folder of thousands of folders lists them uncounted). */
const MAX_COUNTED_FOLDERS = 200;
/** Names in the order the queue shows them: img-2 before img-10. */
const NAME_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

async function countEntries(path: string): Promise<number | null> {
  try {
    return (await readdir(path)).length;
  } catch {
    return null;
  }
}

/** What the listing may say of one entry: a link is followed only when its target is inside a root. */
async function describeEntry(
  full: string,
  roots: readonly string[],
): Promise<{ isDirectory: boolean; size: number }> {
  const unknown = { isDirectory: false, size: 0 };
  try {
    const own = await lstat(full);
    if (own.isSymbolicLink() && !rootOf(await realpath(full), roots)) return unknown;
    const info = own.isSymbolicLink() ? await stat(full) : own;
    return info.isDirectory() ? { isDirectory: true, size: 0 } : { isDirectory: false, size: info.size };
  } catch {
    // A dangling link or an unreadable entry is still listed, as an empty file.
    return unknown;
  }
}

/** Lists a folder inside the allowed roots (folders first, then files, by name); `null` lists the roots. */
export async function browse(roots: string[], path: string | null): Promise<BrowseListing> {
  if (path === null) {
    const entries: BrowseEntry[] = roots.map((root) => ({
      name: root,
      path: root,
      isDirectory: true,
      size: 0,
    }));
    return { path: null, parent: null, roots, entries };
  }
  const real = await checkPathAllowed(path, roots);
  const root = rootOf(real, roots) as string;
  let dirents;
  try {
    dirents = await readdir(real, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new EngineError('not-a-folder', `"${path}" is a file, not a folder`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new EngineError('no-permission', `no permission to list "${path}"`);
    throw new EngineError('not-found', `no such folder: ${path}`);
  }
  const entries: BrowseEntry[] = [];
  let counted = 0;
  for (const dirent of dirents.slice(0, MAX_ENTRIES)) {
    const full = join(real, dirent.name);
    const entry = await describeEntry(full, roots);
    const items = entry.isDirectory && counted++ < MAX_COUNTED_FOLDERS ? await countEntries(full) : null;
    entries.push({ name: dirent.name, path: full, ...entry, ...(entry.isDirectory ? { items } : {}) });
  }
  entries.sort((a, b) => Number(b.isDirectory) - Number(a.isDirectory) || NAME_ORDER.compare(a.name, b.name));
  return { path: real, parent: real === root ? null : dirname(real), roots, entries };
}

/**
 * The headless host's folder browser: a browser has no file paths, so "Add folder…" lists folders on the host,
 * limited to the roots the user allowed. Paths are resolved through symlinks before the check, so a link inside
 * a root cannot lead outside it.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { BrowseEntry, BrowseListing } from '../../common/api.ts';
import { EngineError } from './errors.ts';

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

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Resolves the roots once (missing ones are dropped). */
export async function resolveRoots(roots: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(await realpath(resolve(root)));
    } catch {
      // A root that does not exist cannot be browsed; it is simply not offered.
    }
  }
  return [...new Set(out)];
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
  let real: string;
  try {
    real = await realpath(resolve(path));
  } catch {
    throw new EngineError('not-found', `no such folder: ${path}`);
  }
  const root = roots.find((r) => within(real, r));
  if (!root)
    throw new EngineError('outside-roots', `"${path}" is outside the folders this host allows browsing`);
  const dirents = await readdir(real, { withFileTypes: true });
  const entries: BrowseEntry[] = [];
  let counted = 0;
  for (const dirent of dirents.slice(0, MAX_ENTRIES)) {
    const full = join(real, dirent.name);
    let isDirectory = dirent.isDirectory();
    let size = 0;
    try {
      const info = await stat(full);
      isDirectory = info.isDirectory();
      size = isDirectory ? 0 : info.size;
    } catch {
      // A dangling link or an unreadable entry is still listed, as an empty file.
    }
    const items = isDirectory && counted++ < MAX_COUNTED_FOLDERS ? await countEntries(full) : null;
    entries.push({ name: dirent.name, path: full, isDirectory, size, ...(isDirectory ? { items } : {}) });
  }
  entries.sort((a, b) => Number(b.isDirectory) - Number(a.isDirectory) || NAME_ORDER.compare(a.name, b.name));
  return { path: real, parent: real === root ? null : dirname(real), roots, entries };
}

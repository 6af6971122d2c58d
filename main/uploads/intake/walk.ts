/**
 * Intake, step one: turn the files and folders a user dropped into a stream of regular files, in chunks, without
 * blocking the event loop and without holding the whole tree in memory. Symbolic links are never followed, hidden
 * and system files are left out, and every file or folder left out is reported with the reason.
 */
import { lstatSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { describeFsError } from './fs-errors.ts';

/** A regular file found by the walk. */
export interface FoundFile {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
  /** The folder the file was found under (for a file given directly: its parent folder). */
  root: string;
  /** Path below `root`, always with `/` separators, so asset names are the same on every platform. */
  relativePath: string;
}

/** A file or folder the walk left out, with a sentence saying why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Options of {@link walkPaths}. */
interface WalkOptions {
  signal?: AbortSignal;
  onSkip?: (skipped: SkippedFile) => void;
  /** Files per yielded chunk (default 500). */
  chunkSize?: number;
}

const DEFAULT_CHUNK_SIZE = 500;
/** lstat calls issued together for the paths given directly (each may be on a different, slow volume). */
const STAT_CONCURRENCY = 16;
/** Entries listed from one folder before the walk looks at them (a folder's names are read in slices). */
const LIST_BATCH = 256;
/** A partial chunk is handed out after this long, so a slow disk still shows progress. */
const FLUSH_AFTER_MS = 250;
/**
 * Synchronous work between two macrotask yields is kept below this. Listing and lstat run synchronously inside
 * these slices: on a local disk a synchronous lstat costs a few microseconds, while a promise round trip through
 * the thread pool costs several times that in scheduling alone (100,000 files: 0.6 s against 3 s).
 */
const MAX_SYNC_SLICE_MS = 8;

/** Names operating systems scatter in folders; never user content. Compared case-insensitively. */
const SYSTEM_NAMES = new Set([
  '.ds_store',
  'thumbs.db',
  'ehthumbs.db',
  'desktop.ini',
  '$recycle.bin',
  'system volume information',
  '.spotlight-v100',
  '.trashes',
  '.fseventsd',
  '.temporaryitems',
]);

/** Why a name is left out, or null to keep it. `explicit` names were given by the user and may be hidden. */
export function skipReasonForName(name: string, isDirectory: boolean, explicit = false): string | null {
  const lower = name.toLowerCase();
  if (SYSTEM_NAMES.has(lower)) return `system ${isDirectory ? 'folder' : 'file'} (${name})`;
  if (name.startsWith('._')) return `system file (${name}, macOS AppleDouble metadata)`;
  if (!explicit && name.startsWith('.')) return isDirectory ? 'hidden folder' : 'hidden file';
  return null;
}

function describeSpecialFile(stats: Stats): string {
  if (stats.isFIFO()) return 'not a regular file (named pipe)';
  if (stats.isSocket()) return 'not a regular file (socket)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'not a regular file (device)';
  return 'not a regular file';
}

/**
 * The path of an entry listed in `folder` (a resolved path, so already normal): a concatenation, where path.join
 * would normalize the whole path again for each of 100,000 files.
 */
function childPath(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

/** `filePath` relative to `root`; the walk builds every path from its root, so that is the rest of the string. */
function relativeTo(root: string, filePath: string): string {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return filePath.startsWith(prefix) ? filePath.slice(prefix.length) : path.relative(root, filePath);
}

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

/** A path the user gave, with its lstat result. */
interface Root {
  path: string;
  stats: Stats;
}

/** The nearest given folder that contains `child`, found by walking up its ancestors (cheap for any count). */
function containingFolder(child: string, folders: ReadonlySet<string>): string | undefined {
  for (let parent = path.dirname(child); ; parent = path.dirname(parent)) {
    if (folders.has(parent)) return parent;
    if (path.dirname(parent) === parent) return undefined;
  }
}

/**
 * Drops repeated paths and paths inside another given folder, so no file is yielded twice, without keeping a set of
 * every path seen (which would grow with the tree).
 */
async function normalizeRoots(paths: readonly string[], onSkip: (s: SkippedFile) => void): Promise<Root[]> {
  const unique = [...new Set(paths.map((given) => path.resolve(given)))];
  const roots: Root[] = [];
  for (let start = 0; start < unique.length; start += STAT_CONCURRENCY) {
    const group = unique.slice(start, start + STAT_CONCURRENCY);
    const stats = await Promise.all(
      group.map((absolute) =>
        lstat(absolute).catch((error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code;
          onSkip({ path: absolute, reason: code === 'ENOENT' ? 'not found' : describeFsError(error) });
          return null;
        }),
      ),
    );
    group.forEach((absolute, i) => {
      const entry = stats[i];
      if (entry) roots.push({ path: absolute, stats: entry });
    });
  }
  const folders = new Set(roots.filter((root) => root.stats.isDirectory()).map((root) => root.path));
  return roots.filter((root) => {
    const container = containingFolder(root.path, folders);
    if (container) onSkip({ path: root.path, reason: `already included in the folder ${container}` });
    return !container;
  });
}

/** Walks files and folders without blocking the event loop; yields found files in chunks (e.g. 500). */
export async function* walkPaths(
  paths: readonly string[],
  options: WalkOptions = {},
): AsyncGenerator<FoundFile[]> {
  const { signal } = options;
  const onSkip = options.onSkip ?? (() => {});
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  let chunk: FoundFile[] = [];
  let lastFlush = performance.now();
  let sliceStart = performance.now();

  /** Takes the current chunk when it is full, or when it has waited long enough. */
  const takeChunk = (force: boolean): FoundFile[] | null => {
    if (chunk.length === 0) return null;
    if (!force && chunk.length < chunkSize && performance.now() - lastFlush < FLUSH_AFTER_MS) return null;
    const out = chunk;
    chunk = [];
    lastFlush = performance.now();
    return out;
  };

  /**
   * Gives the event loop a turn once the current slice of synchronous work has run long enough; returns nothing
   * (no promise to await) while the slice goes on, so the common case costs one clock read.
   */
  const breathe = (): Promise<void> | undefined => {
    if (performance.now() - sliceStart <= MAX_SYNC_SLICE_MS) return undefined;
    return yieldToEventLoop().then(() => {
      sliceStart = performance.now();
      signal?.throwIfAborted();
    });
  };

  const roots = await normalizeRoots(paths, onSkip);
  for (const root of roots) {
    signal?.throwIfAborted();
    const name = path.basename(root.path);
    const nameReason = skipReasonForName(name, root.stats.isDirectory(), true);
    if (root.stats.isSymbolicLink()) {
      onSkip({ path: root.path, reason: 'symbolic link (not followed)' });
    } else if (nameReason) {
      onSkip({ path: root.path, reason: nameReason });
    } else if (root.stats.isFile()) {
      const found = toFound(root.path, root.stats, path.dirname(root.path), onSkip);
      if (found) chunk.push(found);
    } else if (!root.stats.isDirectory()) {
      onSkip({ path: root.path, reason: describeSpecialFile(root.stats) });
    } else {
      // Depth-first with an explicit stack: memory grows with the number of pending folders, never with files.
      const pending: string[] = [root.path];
      while (pending.length > 0) {
        signal?.throwIfAborted();
        const folder = pending.pop() as string;
        const subfolders: string[] = [];
        for await (const batch of readFolder(folder, onSkip, breathe)) {
          signal?.throwIfAborted();
          for (const entryPath of batch) {
            const pause = breathe();
            if (pause) await pause;
            const entryStats = statOrSkip(entryPath, onSkip);
            if (!entryStats) continue;
            if (entryStats.isSymbolicLink()) {
              onSkip({ path: entryPath, reason: 'symbolic link (not followed)' });
            } else if (entryStats.isDirectory()) {
              subfolders.push(entryPath);
            } else if (entryStats.isFile()) {
              const found = toFound(entryPath, entryStats, root.path, onSkip);
              if (found) chunk.push(found);
              const full = chunk.length >= chunkSize ? takeChunk(true) : null;
              if (full) yield full;
            } else {
              onSkip({ path: entryPath, reason: describeSpecialFile(entryStats) });
            }
          }
          const ready = takeChunk(false);
          if (ready) {
            yield ready;
            sliceStart = performance.now();
          }
        }
        // Reversed so that subfolders are visited in name order, after this folder's own files.
        for (let i = subfolders.length - 1; i >= 0; i--) pending.push(subfolders[i] as string);
      }
    }
    const ready = takeChunk(false);
    if (ready) yield ready;
  }
  const last = takeChunk(true);
  if (last) yield last;
}

function toFound(
  filePath: string,
  stats: Stats,
  root: string,
  onSkip: (s: SkippedFile) => void,
): FoundFile | null {
  if (stats.size === 0) {
    onSkip({ path: filePath, reason: 'empty file' });
    return null;
  }
  return {
    path: filePath,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    root,
    relativePath: toPosix(relativeTo(root, filePath)),
  };
}

/** lstat of one entry, synchronous (the caller keeps it inside a short time slice); null when it failed. */
function statOrSkip(entryPath: string, onSkip: (s: SkippedFile) => void): Stats | null {
  try {
    return lstatSync(entryPath);
  } catch (error) {
    onSkip({ path: entryPath, reason: describeFsError(error) });
    return null;
  }
}

/** File-manager order: case-insensitive, digits compared as numbers. */
const NAME_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Lists one folder in batches of paths, sorted by name, leaving out hidden and system names (reported once for a whole folder,
 * not for each file inside it). An unreadable or vanished folder is reported and yields nothing. The folder is
 * listed in one asynchronous call (a slow or remote volume may take long to answer, and the event loop runs
 * meanwhile); reading its entries one by one cost a call each.
 */
async function* readFolder(
  folder: string,
  onSkip: (s: SkippedFile) => void,
  breathe: () => Promise<void> | undefined,
): AsyncGenerator<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    onSkip({ path: folder, reason: describeFsError(error) });
    return;
  }
  // Names are sorted before they are handed on, so the queue lists a folder the way a file manager does
  // (img-2 before img-10) rather than in the file system's order.
  const names: string[] = [];
  for (const entry of entries) {
    const pause = breathe();
    if (pause) await pause;
    // The dirent type may be unknown on some file systems; then the name check assumes a file and lstat decides.
    const reason = skipReasonForName(entry.name, entry.isDirectory());
    if (reason) {
      onSkip({ path: childPath(folder, entry.name), reason });
    } else {
      names.push(entry.name);
    }
  }
  names.sort(NAME_ORDER.compare);
  for (let i = 0; i < names.length; i += LIST_BATCH) {
    yield names.slice(i, i + LIST_BATCH).map((name) => childPath(folder, name));
  }
}

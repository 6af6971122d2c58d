/**
 * When is a file in a watched folder complete? A camera, a scanner or a copy writes it over seconds or minutes,
 * and uploading it half-written would store a broken asset. A file counts as complete once its size and
 * modification time have not changed for the settle time and it can be opened for reading (Windows refuses that
 * while a writer holds the file). The clock, the file system and the timer are passed in, so the rule is tested
 * with fakes.
 */
import { open, stat } from 'node:fs/promises';

/** The size and modification time a file was seen with. */
export interface FileVersion {
  size: number;
  mtimeMs: number;
}

interface SettleDeps {
  settleMs: number;
  /** The file's current version, or null when it is gone (or is not a regular file). */
  stat: (path: string) => Promise<FileVersion | null>;
  /** True when the file can be opened for reading now. */
  canOpen: (path: string) => Promise<boolean>;
  now: () => number;
  /** Called once per complete version of a file, with the version that stood still. */
  onComplete: (path: string, version: FileVersion) => void;
}

export interface SettleTracker {
  /** The watcher saw the file appear or change: it is complete only after standing still again. */
  observe(path: string): void;
  /** The file was removed: stop waiting for it. */
  forget(path: string): void;
  /** Looks at every file still waiting (the owner calls it on a timer); resolves when the look is done. */
  check(): Promise<void>;
  /** Paths waiting to stand still. */
  waiting(): number;
}

/** Files looked at together in one round (each look is a stat, and an open once it stood still). */
const LOOK_CONCURRENCY = 16;

interface Pending {
  version: FileVersion | null;
  /** When the version was first seen as it is. */
  since: number;
}

/** Creates a tracker: `observe` paths as the watcher reports them, call `check` every so often. */
export function createSettleTracker(deps: SettleDeps): SettleTracker {
  const pending = new Map<string, Pending>();
  let checking: Promise<void> | null = null;

  const look = async (path: string, entry: Pending): Promise<void> => {
    const version = await deps.stat(path);
    if (pending.get(path) !== entry) return; // observed again or forgotten meanwhile
    if (!version) {
      pending.delete(path);
      return;
    }
    const now = deps.now();
    if (!entry.version || !sameVersion(entry.version, version)) {
      entry.version = version;
      entry.since = now;
      return;
    }
    if (now - entry.since < deps.settleMs) return;
    if (!(await deps.canOpen(path))) return; // still held by its writer: look again next time
    if (pending.get(path) !== entry) return;
    pending.delete(path);
    deps.onComplete(path, version);
  };

  const lookAtAll = async (): Promise<void> => {
    const entries = [...pending];
    for (let i = 0; i < entries.length; i += LOOK_CONCURRENCY) {
      await Promise.all(entries.slice(i, i + LOOK_CONCURRENCY).map(([path, entry]) => look(path, entry)));
    }
  };

  return {
    observe(path) {
      // A fresh entry: whatever was seen before, the file must stand still for a whole settle time from now.
      pending.set(path, { version: null, since: deps.now() });
    },
    forget(path) {
      pending.delete(path);
    },
    check() {
      // One look at a time: a slow network drive must not pile up overlapping rounds of stat calls.
      checking ??= lookAtAll().finally(() => (checking = null));
      return checking;
    },
    waiting: () => pending.size,
  };
}

/** True when two versions of a file have the same size and modification time. */
export function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** The real file system's version of a path: null when it is missing or not a regular file. */
export async function statVersion(path: string): Promise<FileVersion | null> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? { size: stats.size, mtimeMs: stats.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** True when the file opens for reading (a writer's exclusive lock, on Windows, makes this fail). */
export async function opensForReading(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    await handle.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * One watched folder: chokidar reports files that appear or change (and, when the watch starts, every file
 * already there, so files written while nothing watched are picked up); the settle tracker holds each one until it
 * is complete; complete files go into the upload queue through the ordinary intake, in small groups, each version
 * of a file once. A changed file that was already uploaded is reported instead of being sent again, unless the
 * watch re-uploads.
 */
import { resolve } from 'node:path';
import { watch } from 'chokidar';
import type { UploadTarget } from '../../common/api.ts';
import { decideWatchedFile } from './watch-decision.ts';
import { createSettleTracker, opensForReading, sameVersion, statVersion } from './settle-tracker.ts';
import type { FileVersion, SettleTracker } from './settle-tracker.ts';
import type { WatchQueue } from './watch-queue.ts';

/** What to watch and where its files go. */
interface FolderWatchSpec {
  folder: string;
  target: UploadTarget;
  /** How long a file's size and modification time must stand still before it counts as complete. */
  settleMs: number;
  /** Send a changed file again when it was uploaded before (otherwise it is reported only). */
  reupload: boolean;
  /** Poll the folder instead of relying on change notifications (network drives, some containers). */
  polling: boolean;
}

/** What a watch has done since it started. */
interface FolderWatchCounts {
  /** Files seen that are not complete yet. */
  waiting: number;
  /** Files queued for upload. */
  queued: number;
  /** Files that changed after they were uploaded, reported and not sent again. */
  changedAfterUpload: number;
}

/** What a watch tells its owner as it goes. */
interface FolderWatchListener {
  /** Counts changed (queued, waiting, reported). */
  changed?(): void;
  queued?(count: number): void;
  /** A file was uploaded before and has changed since: not sent again. */
  changedAfterUpload?(path: string): void;
  /** A complete file the intake leaves out (hidden, empty, unsupported), with the reason. */
  skipped?(path: string, reason: string): void;
  /** The watcher or the queue failed; the watch goes on and tries again. */
  error?(message: string): void;
}

export interface FolderWatch {
  /** Resolves once the files already in the folder have been seen. */
  readonly ready: Promise<void>;
  counts(): FolderWatchCounts;
  close(): Promise<void>;
}

/** How often the polling watcher looks at a folder (network drives answer slowly: once a second is plenty). */
const POLL_INTERVAL_MS = 1000;
/** Complete files queued in one intake call at most. */
const QUEUE_SLICE = 250;

interface Ready {
  path: string;
  version: FileVersion;
}

/**
 * Starts watching; `queue()` is the upload queue, or null while there is none (disconnected): complete files then
 * wait for it.
 */
export function startFolderWatch(
  spec: FolderWatchSpec,
  queue: () => WatchQueue | null,
  listener: FolderWatchListener = {},
  now: () => number = Date.now,
): FolderWatch {
  const folder = resolve(spec.folder);
  const counts = { queued: 0, changedAfterUpload: 0 };
  const ready: Ready[] = [];
  // Versions that completed while an older version of the same file was still in the queue: decided again once
  // that one is through (then it is reported as changed after upload, or queued if the older one failed).
  let deferred: Ready[] = [];
  // Each changed version is reported once per watch, not at every look.
  const reported = new Set<string>();
  let closed = false;
  let flushing = false;

  const tracker: SettleTracker = createSettleTracker({
    settleMs: spec.settleMs,
    stat: statVersion,
    canOpen: opensForReading,
    now,
    onComplete: (path, version) => {
      // A newer complete version replaces one still waiting for its predecessor.
      deferred = deferred.filter((file) => file.path !== path);
      ready.push({ path, version });
    },
  });

  const flush = async (): Promise<void> => {
    const port = queue();
    if (flushing || closed || !port || ready.length + deferred.length === 0) return;
    flushing = true;
    const taken = [...deferred, ...ready.splice(0, QUEUE_SLICE)];
    deferred = [];
    try {
      const toQueue: string[] = [];
      for (const file of taken) {
        const { path, version } = file;
        const remembered = port.remembered(spec.target.workflowId, path);
        const decision = decideWatchedFile(remembered, version, spec.reupload);
        if (decision === 'in-queue' && remembered && !sameVersion(remembered, version)) deferred.push(file);
        else if (decision === 'queue') toQueue.push(path);
        else if (decision === 'changed-after-upload') {
          const key = `${path}\0${version.size}\0${version.mtimeMs}`;
          if (!reported.has(key)) {
            reported.add(key);
            counts.changedAfterUpload++;
            listener.changedAfterUpload?.(path);
          }
        }
      }
      if (toQueue.length > 0) {
        const { queued } = await port.queueFiles(toQueue, spec.target, spec.reupload);
        counts.queued += queued;
        if (queued > 0) listener.queued?.(queued);
      }
      listener.changed?.();
    } catch (error) {
      // Nothing is lost: the files go back to the front and the next round tries again.
      deferred = [];
      ready.unshift(...taken);
      listener.error?.(error instanceof Error ? error.message : String(error));
    } finally {
      flushing = false;
    }
  };

  const watcher = watch(folder, {
    ignoreInitial: false,
    followSymlinks: false,
    persistent: true,
    usePolling: spec.polling,
    interval: POLL_INTERVAL_MS,
  });
  watcher.on('add', (path) => tracker.observe(path));
  watcher.on('change', (path) => tracker.observe(path));
  watcher.on('unlink', (path) => tracker.forget(path));
  watcher.on('error', (error) => listener.error?.(error instanceof Error ? error.message : String(error)));
  const ready$ = new Promise<void>((done) => watcher.once('ready', () => done()));

  // A quarter of the settle time between looks: a file is queued at most a quarter late.
  const every = Math.min(1000, Math.max(50, Math.round(spec.settleMs / 4)));
  let round: Promise<void> | null = null;
  let lastWaiting = 0;
  const timer = setInterval(() => {
    round ??= lookAndQueue().finally(() => (round = null));
  }, every);
  const lookAndQueue = async (): Promise<void> => {
    await tracker.check();
    await flush();
    if (tracker.waiting() !== lastWaiting) {
      lastWaiting = tracker.waiting();
      listener.changed?.();
    }
  };

  return {
    ready: ready$,
    counts: () => ({ waiting: tracker.waiting() + ready.length, ...counts }),
    async close() {
      closed = true;
      clearInterval(timer);
      await round;
      await watcher.close();
    },
  };
}

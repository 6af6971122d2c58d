/**
 * The watched folders of the app (the one surface the engine goes through): the list is kept in the settings
 * store, so it survives restarts; each watch belongs to the server and account it was made on and runs while the
 * queue uploads there. When the app starts, or connects again, every watch looks at the files already in its
 * folder, so nothing written meanwhile is missed, and the journal's memory keeps each version of a file to one
 * upload.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { UploadTarget } from '../../common/api.ts';
import type { ParsedArgs, WatchedFolderView } from '../../common/api.ts';
import { EngineError } from './errors.ts';
import type { SettingsStorePort } from './ports.ts';
import { startFolderWatch } from '../watch/folder-watch.ts';
import type { FolderWatch } from '../watch/folder-watch.ts';
import type { WatchQueue } from '../watch/watch-queue.ts';

const STORE_KEY = 'watchedFolders';

const StoredWatch = z.object({
  id: z.string(),
  folder: z.string(),
  target: UploadTarget,
  settleSeconds: z.number(),
  reupload: z.boolean(),
  polling: z.boolean(),
  /** The server and account (serverKey) the watch uploads to. */
  server: z.string(),
});
type StoredWatch = z.infer<typeof StoredWatch>;

interface WatchedFoldersDeps {
  store: SettingsStorePort;
  /** The upload queue of the current connection, or null while disconnected. */
  queue: () => WatchQueue | null;
  /** The list changed: the whole list (for the event of the same name). */
  changed: (views: WatchedFolderView[]) => void;
  /** News for the user (a changed file not sent again, a watch that fails). */
  notice: (level: 'info' | 'warning' | 'error', message: string) => void;
  log?: (line: string) => void;
}

interface WatchedFolders {
  add(args: ParsedArgs<'watchFolder'>[0]): Promise<WatchedFolderView>;
  remove(watchId: string): Promise<void>;
  list(): WatchedFolderView[];
  /** The queue changed (connected, disconnected, another account): starts and stops watches to match. */
  sync(): Promise<void>;
  /** Stops every running watch (the list is kept): before the queue they feed goes away. */
  stopAll(): Promise<void>;
  close(): Promise<void>;
}

interface Running {
  watch: FolderWatch;
  error: string | null;
}

/** Creates the watched folders over the settings store; call `sync()` whenever the connection changes. */
export function createWatchedFolders(deps: WatchedFoldersDeps): WatchedFolders {
  const running = new Map<string, Running>();
  let closed = false;

  const stored = (): StoredWatch[] => {
    const parsed = z.array(StoredWatch).safeParse(deps.store.get(STORE_KEY) ?? []);
    return parsed.success ? parsed.data : [];
  };
  const save = (watches: StoredWatch[]): void => deps.store.set(STORE_KEY, watches);

  const view = (entry: StoredWatch): WatchedFolderView => {
    const active = running.get(entry.id);
    const counts = active?.watch.counts() ?? { waiting: 0, queued: 0, changedAfterUpload: 0 };
    const server = deps.queue()?.server ?? null;
    const message = active
      ? active.error
      : server === null
        ? 'Not connected: files are picked up once the app is connected again.'
        : 'Made for another profile: connect to it to pick up this folder’s files.';
    return {
      id: entry.id,
      folder: entry.folder,
      workflowId: entry.target.workflowId,
      batchId: entry.target.batchId ?? null,
      newBatchName: entry.target.newBatch?.name ?? null,
      settleSeconds: entry.settleSeconds,
      reupload: entry.reupload,
      polling: entry.polling,
      status: !active ? 'waiting' : active.error ? 'error' : 'watching',
      message,
      filesSettling: counts.waiting,
      filesQueued: counts.queued,
      changedAfterUpload: counts.changedAfterUpload,
    };
  };
  const list = (): WatchedFolderView[] => stored().map(view);
  const announce = (): void => deps.changed(list());

  const start = (entry: StoredWatch): void => {
    const state: Running = { watch: null as unknown as FolderWatch, error: null };
    const name = basename(entry.folder);
    // A new batch is created first if the network allows (a wrong workflow shows at once), and no file is queued
    // until that attempt is over: the pipeline, which creates the batch when this could not, never races it.
    let batchTried = false;
    const first = deps.queue();
    void (first ? first.resolveBatch(entry.target) : Promise.resolve())
      .catch((error: unknown) => deps.log?.(`watch ${entry.folder}: batch not created yet: ${String(error)}`))
      .finally(() => (batchTried = true));
    state.watch = startFolderWatch(
      {
        folder: entry.folder,
        target: entry.target,
        settleMs: entry.settleSeconds * 1000,
        reupload: entry.reupload,
        polling: entry.polling,
      },
      // The watch queues only into the account it was made on, even if the connection changes under it.
      () => {
        const queue = deps.queue();
        return batchTried && queue && queue.server === entry.server ? queue : null;
      },
      {
        changed: () => {
          state.error = null;
          announce();
        },
        queued: (count) => deps.log?.(`watch ${entry.folder}: ${count} file${count === 1 ? '' : 's'} queued`),
        changedAfterUpload: (path) =>
          deps.notice(
            'warning',
            `${basename(path)} in ${name} changed after it was uploaded. It was not sent again (a watch that re-uploads sends new versions).`,
          ),
        error: (message) => {
          if (state.error !== message) {
            deps.notice('error', `Watching ${name}: ${message}`);
            state.error = message;
            announce();
          }
        },
      },
    );
    running.set(entry.id, state);
  };
  const stop = async (watchId: string): Promise<void> => {
    const active = running.get(watchId);
    running.delete(watchId);
    await active?.watch.close();
  };

  return {
    async add(args) {
      const queue = deps.queue();
      if (!queue)
        throw new EngineError('not-connected', 'Connect to a profile first: a watch uploads into it.');
      const folder = resolve(args.folder);
      const info = await stat(folder).catch(() => null);
      if (!info) throw new EngineError('folder-missing', `${folder} does not exist.`);
      if (!info.isDirectory()) throw new EngineError('not-a-folder', `${folder} is a file, not a folder.`);
      const watches = stored();
      const twin = watches.find(
        (w) =>
          w.folder === folder && w.server === queue.server && w.target.workflowId === args.target.workflowId,
      );
      if (twin) {
        throw new EngineError('already-watched', `${folder} is already watched for this workflow.`);
      }
      const entry: StoredWatch = {
        id: randomUUID(),
        folder,
        target: args.target,
        settleSeconds: args.settleSeconds,
        reupload: args.reupload,
        polling: args.polling,
        server: queue.server,
      };
      save([...watches, entry]);
      start(entry);
      announce();
      return view(entry);
    },
    async remove(watchId) {
      const watches = stored();
      if (!watches.some((w) => w.id === watchId)) {
        throw new EngineError('watch-not-found', 'That folder is not watched any more.');
      }
      save(watches.filter((w) => w.id !== watchId));
      await stop(watchId);
      announce();
    },
    list,
    async sync() {
      if (closed) return;
      const server = deps.queue()?.server ?? null;
      const wanted = stored().filter((w) => w.server === server);
      for (const id of [...running.keys()]) {
        if (!wanted.some((w) => w.id === id)) await stop(id);
      }
      for (const entry of wanted) if (!running.has(entry.id)) start(entry);
      announce();
    },
    async stopAll() {
      await Promise.all([...running.keys()].map((id) => stop(id)));
    },
    async close() {
      closed = true;
      await this.stopAll();
    },
  };
}

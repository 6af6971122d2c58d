/**
 * walkPaths (walk.ts) in a worker thread: the same files, chunks and skip reports, while the thread that asked
 * queues the chunks already found. Listing and lstat-ing a tree cost about as much as journaling what they find
 * (100,000 files: a second each), so doing both at once halves an intake, and a 100,000-file drop no longer holds
 * the desktop app's main process for the walk. Where the worker's entry is not in the build, the walk runs here as
 * before; a worker that fails ends the walk with its error, as a failing walk here would.
 */
import { Worker } from 'node:worker_threads';
import { findWorkerEntry } from '../../workers/worker-entry.ts';
import { walkPaths } from './walk.ts';
import type { FoundFile, SkippedFile } from './walk.ts';
import type { WalkToHost, WalkWorkerData } from './walk-protocol.ts';

/** Options of {@link walkPathsOffThread}: those of walkPaths. */
interface WalkOptions {
  signal?: AbortSignal;
  onSkip?: (skipped: SkippedFile) => void;
  chunkSize?: number;
}

/** Chunks the worker may have found before the caller takes them: enough that neither side waits for the other. */
const CHUNKS_AHEAD = 4;

/** The worker's entry (undefined where the build has none). */
const WORKER_ENTRY = findWorkerEntry(import.meta.url, 'walk-worker');

/** Walks the paths in a worker thread (see the file comment); yields found files in chunks, as walkPaths does. */
export async function* walkPathsOffThread(
  paths: readonly string[],
  options: WalkOptions = {},
): AsyncGenerator<FoundFile[]> {
  const { signal } = options;
  signal?.throwIfAborted();
  if (!WORKER_ENTRY) {
    yield* walkPaths(paths, options);
    return;
  }
  const data: WalkWorkerData = {
    paths: [...paths],
    chunkSize: options.chunkSize ?? 500,
    chunksAhead: CHUNKS_AHEAD,
  };
  const worker = new Worker(WORKER_ENTRY, { workerData: data });
  const inbox: WalkToHost[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: WalkToHost) => {
    inbox.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  let exited = false;
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  const onAbort = (): void => notify();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const message = inbox.shift();
      if (!message) {
        if (failure) throw failure;
        // Every message is posted before the worker ends: ended with none left, it stopped without saying why.
        if (exited) throw new Error('the folder walk stopped unexpectedly');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      for (const skipped of message.skipped) options.onSkip?.(skipped);
      if (message.type === 'failed') throw new Error(message.message);
      if (message.type === 'done') return;
      worker.postMessage('more');
      yield message.files;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  }
}

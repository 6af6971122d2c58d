/**
 * The walk's worker thread: runs walkPaths (walk.ts) on the paths it was started with and posts each chunk of files
 * found, with the files and folders left out since the last chunk, to the thread that started it. Listing folders
 * and lstat-ing every entry are then off the main thread, which meanwhile queues the chunks already found; the
 * worker stays at most a few chunks ahead (credits), so memory does not grow with the tree. See walk-off-thread.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { walkPaths } from './walk.ts';
import type { SkippedFile } from './walk.ts';
import type { WalkToHost, WalkWorkerData } from './walk-protocol.ts';

const port = parentPort;
if (!port) throw new Error('walk-worker.ts runs only as a worker thread');
const { paths, chunkSize, chunksAhead } = workerData as WalkWorkerData;

let credits = chunksAhead;
let wakeUp: (() => void) | undefined;
port.on('message', () => {
  credits += 1;
  wakeUp?.();
});

const post = (message: WalkToHost): void => port.postMessage(message);

let skipped: SkippedFile[] = [];
try {
  for await (const files of walkPaths(paths, { chunkSize, onSkip: (skip) => skipped.push(skip) })) {
    while (credits === 0) await new Promise<void>((resolve) => (wakeUp = resolve));
    wakeUp = undefined;
    credits -= 1;
    post({ type: 'chunk', files, skipped });
    skipped = [];
  }
  post({ type: 'done', skipped });
} catch (error) {
  post({ type: 'failed', skipped, message: error instanceof Error ? error.message : String(error) });
}
port.close();

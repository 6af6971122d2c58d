/** Watching folders as the hosts see it: a watch of one folder, and the queue it feeds from an upload service. */
export { startFolderWatch } from './folder-watch.ts';
export { serviceWatchQueue } from './watch-queue.ts';

/** Queue totals and watched folders as the engine reports them, for the background decisions' tests. */
import type { QueueTotals, WatchedFolderView } from '../../../../common/api.ts';
import { emptyTotals } from '../../../../main/engine/parts.ts';

/** Totals with the given file counts (the rest zero) and mode. */
export function totalsWith(
  files: Partial<QueueTotals['files']>,
  mode: QueueTotals['mode'] = 'running',
  message: string | null = null,
): QueueTotals {
  const base = emptyTotals(mode, message);
  const merged = { ...base.files, ...files };
  const total =
    merged.waiting + merged.active + merged.done + merged.failed + merged.paused + merged.canceled;
  return { ...base, files: { ...merged, total: total + merged.skipped }, bytes: { total: 1000, done: 250 } };
}

/** A watched folder in the given state. */
export function watchOf(
  folder: string,
  status: WatchedFolderView['status'] = 'watching',
  message: string | null = null,
): WatchedFolderView {
  return {
    id: `watch-${folder}`,
    folder,
    workflowId: '00000000-0000-4000-8000-000000000001',
    batchId: '00000000-0000-4000-8000-000000000002',
    newBatchName: null,
    settleSeconds: 5,
    reupload: false,
    polling: false,
    status,
    message,
    filesSettling: 0,
    filesQueued: 0,
    changedAfterUpload: 0,
  };
}

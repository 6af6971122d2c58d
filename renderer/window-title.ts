/**
 * The queue's progress in the window title (and so in the taskbar's and the browser tab's label): the current
 * work's share done while files are left, else the app's name alone.
 */
import { useEffect } from 'react';
import type { QueueTotals } from '../common/api.ts';
import { formatCount } from './format.ts';
import { useApp } from './store/index.ts';

export const APP_TITLE = 'Alegion Uploader';

/** "42% · 12 of 40 files – Alegion Uploader"; "Paused · …" and "Offline · …" when the queue does not move. */
export function windowTitle(totals: QueueTotals | null): string {
  if (!totals) return APP_TITLE;
  const work = totals.work ?? totals;
  const { files, bytes } = work;
  const left = files.waiting + files.active + files.paused;
  if (left === 0) return APP_TITLE;
  const counted = files.total - files.canceled - files.skipped;
  const share = bytes.total > 0 ? bytes.done / bytes.total : counted > 0 ? files.done / counted : 0;
  const percent = `${Math.floor(Math.min(1, Math.max(0, share)) * 100)}%`;
  const state =
    totals.mode === 'paused'
      ? 'Paused · '
      : totals.mode === 'offline'
        ? 'Offline · '
        : totals.mode === 'blocked'
          ? 'Stopped · '
          : '';
  return `${state}${percent} · ${formatCount(files.done)} of ${formatCount(counted)} files – ${APP_TITLE}`;
}

/** Keeps the document's title on the queue's progress. */
export function useWindowTitle(): void {
  const title = useApp((s) => windowTitle(s.totals));
  useEffect(() => {
    document.title = title;
  }, [title]);
}

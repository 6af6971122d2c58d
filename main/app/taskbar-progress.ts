/**
 * The upload queue's progress on the taskbar (Windows, Linux launchers) and the dock (macOS): a thin adapter over
 * the window's setProgressBar, fed by the engine's progress snapshots. Nothing shows while nothing is left to do.
 */
import type { AlegionEvents, QueueTotals } from '../../common/api.ts';

/** The part of an Electron BrowserWindow the adapter uses (a fake in tests). */
export interface ProgressWindow {
  setProgressBar(
    progress: number,
    options?: { mode: 'none' | 'normal' | 'indeterminate' | 'error' | 'paused' },
  ): void;
  isDestroyed(): boolean;
}

interface TaskbarProgress {
  /** 0…1, or -1 to take the bar away. */
  value: number;
  mode: 'none' | 'normal' | 'indeterminate' | 'error' | 'paused';
}

/** What the taskbar shows for the queue's totals: the current work's share of bytes sent (files for records). */
function taskbarProgress(totals: QueueTotals): TaskbarProgress {
  const work = totals.work ?? totals;
  const { files, bytes } = work;
  const left = files.waiting + files.active + files.paused;
  if (left === 0) return { value: -1, mode: 'none' };
  const counted = files.total - files.canceled - files.skipped;
  const value = bytes.total > 0 ? bytes.done / bytes.total : counted > 0 ? files.done / counted : 0;
  const clamped = Math.min(1, Math.max(0, value));
  if (totals.mode === 'blocked') return { value: clamped, mode: 'error' };
  if (totals.mode === 'paused' || totals.mode === 'offline') return { value: clamped, mode: 'paused' };
  return { value: clamped, mode: 'normal' };
}

/** Follows the engine's progress on the window until the returned function is called. */
export function showQueueProgress(
  events: {
    on: (event: 'queueProgress', listener: (payload: AlegionEvents['queueProgress']) => void) => () => void;
  },
  win: ProgressWindow,
): () => void {
  let last = '';
  const off = events.on('queueProgress', (snapshot) => {
    if (win.isDestroyed()) return;
    const next = taskbarProgress(snapshot.totals);
    // Snapshots come up to ten a second: the bar is set again only when its rounded value or its mode moves.
    const key = `${Math.round(next.value * 1000)}:${next.mode}`;
    if (key === last) return;
    last = key;
    win.setProgressBar(next.value, { mode: next.mode });
  });
  return () => {
    off();
    if (!win.isDestroyed()) win.setProgressBar(-1, { mode: 'none' });
  };
}

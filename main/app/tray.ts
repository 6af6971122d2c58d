/**
 * The tray icon and the taskbar progress: a one-line summary of the queue, pause/resume everything, and the
 * window's progress bar (Windows taskbar, macOS dock, Unity launcher).
 */
import type { BrowserWindow, Menu, MenuItemConstructorOptions, Tray } from 'electron';
import type { ProgressSnapshot, QueueTotals } from '../../common/api.ts';
import type { Engine } from '../engine.ts';

/** The queue in one line, for the tray tooltip. */
export function queueSummary(totals: QueueTotals): string {
  const { files } = totals;
  if (files.total === 0) return 'Alegion Uploader: nothing queued';
  const parts = [`${files.done}/${files.total} done`];
  if (files.active + files.waiting > 0) parts.push(`${files.active + files.waiting} to go`);
  if (files.failed > 0) parts.push(`${files.failed} failed`);
  if (totals.mode !== 'running') parts.push(totals.mode);
  return `Alegion Uploader: ${parts.join(', ')}`;
}

/** Fraction for the taskbar: -1 removes the bar when nothing is in progress. */
export function taskbarProgress(totals: QueueTotals): {
  value: number;
  mode: 'normal' | 'paused' | 'error' | 'none';
} {
  const remaining = totals.files.active + totals.files.waiting;
  if (remaining === 0 || totals.bytes.total === 0) return { value: -1, mode: 'none' };
  const value = Math.min(1, totals.bytes.done / totals.bytes.total);
  if (totals.mode === 'blocked') return { value, mode: 'error' };
  if (totals.mode === 'paused' || totals.mode === 'offline') return { value, mode: 'paused' };
  return { value, mode: 'normal' };
}

/** The tray menu's items. */
export function trayMenuTemplate(
  summary: string,
  engine: Pick<Engine, 'pauseItems' | 'resumeItems'>,
  showWindow: () => void,
  quit: () => void,
): MenuItemConstructorOptions[] {
  return [
    { label: summary, enabled: false },
    { type: 'separator' },
    { label: 'Pause all', click: () => void engine.pauseItems({}) },
    { label: 'Resume all', click: () => void engine.resumeItems({}) },
    { type: 'separator' },
    { label: 'Show window', click: showWindow },
    { label: 'Quit', click: quit },
  ];
}

/** Keeps the tray and the taskbar in step with the queue; returns a function that stops it. */
export function wireTrayAndTaskbar(
  tray: Pick<Tray, 'setToolTip' | 'setContextMenu'>,
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu,
  engine: Engine,
  window: () => BrowserWindow | null,
  showWindow: () => void,
  quit: () => void,
): () => void {
  let lastSummary = '';
  const render = (totals: QueueTotals): void => {
    const summary = queueSummary(totals);
    if (summary !== lastSummary) {
      lastSummary = summary;
      tray.setToolTip(summary);
      tray.setContextMenu(buildMenu(trayMenuTemplate(summary, engine, showWindow, quit)));
    }
    const win = window();
    if (win && !win.isDestroyed()) {
      const { value, mode } = taskbarProgress(totals);
      win.setProgressBar(value, { mode });
    }
  };
  void engine.getQueueTotals().then(render, () => {});
  return engine.events.on('queueProgress', (snapshot: ProgressSnapshot) => render(snapshot.totals));
}

/**
 * The tray icon and the taskbar progress: one state for everything (tray-state.ts) on the icon (tray-icon.ts), in the
 * tooltip and at the head of the menu, Pause all, Resume all, Open and Quit, and the window's progress bar (Windows
 * taskbar, macOS dock, Unity launcher).
 */
import type { BrowserWindow, Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { QueueTotals } from '../../common/api.ts';
import type { Engine } from '../engine/create-engine.ts';
import { trayState } from './tray-state.ts';
import type { TrayState, TrayStateName } from './tray-state.ts';
import type { WorkStateTracker } from './work-state.ts';

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

/** The tooltip: the app's name and its state in one line. */
function trayTooltip(state: TrayState): string {
  return `Alegion Uploader: ${state.line}`;
}

/** The tray menu's items. */
export function trayMenuTemplate(
  state: TrayState,
  engine: Pick<Engine, 'pauseItems' | 'resumeItems'>,
  open: () => void,
  quit: () => void,
): MenuItemConstructorOptions[] {
  return [
    { label: state.line, enabled: false },
    { type: 'separator' },
    { label: 'Pause all', click: () => void engine.pauseItems({}) },
    { label: 'Resume all', click: () => void engine.resumeItems({}) },
    { type: 'separator' },
    { label: 'Open', click: open },
    { label: 'Quit', click: quit },
  ];
}

/** Keeps the tray and the taskbar in step with the work; returns a function that stops it. */
export function wireTrayAndTaskbar(
  tray: Pick<Tray, 'setToolTip' | 'setContextMenu' | 'setImage'>,
  iconFor: (state: TrayStateName) => NativeImage,
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu,
  work: WorkStateTracker,
  engine: Pick<Engine, 'pauseItems' | 'resumeItems'>,
  window: () => Pick<BrowserWindow, 'isDestroyed' | 'setProgressBar'> | null,
  open: () => void,
  quit: () => void,
): () => void {
  let last = '';
  const render = (): void => {
    const current = work.current();
    const state = trayState(current);
    // The menu is rebuilt only when what it shows changes, not at every progress tick.
    const key = `${state.name}\n${state.line}`;
    if (key !== last) {
      if (!last.startsWith(`${state.name}\n`)) tray.setImage(iconFor(state.name));
      last = key;
      tray.setToolTip(trayTooltip(state));
      tray.setContextMenu(buildMenu(trayMenuTemplate(state, engine, open, quit)));
    }
    const win = window();
    if (win && !win.isDestroyed()) {
      const { value, mode } = taskbarProgress(current.totals);
      win.setProgressBar(value, { mode });
    }
  };
  render();
  return work.onChange(render);
}

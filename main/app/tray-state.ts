/**
 * The tray's one state for everything the app does, by priority: error > uploading > paused > idle, with a line
 * that says why, for the tooltip and the head of the tray menu.
 */
import type { WorkState } from './work-state.ts';
import { filesToGo } from './work-state.ts';

export type TrayStateName = 'error' | 'uploading' | 'paused' | 'idle';

export interface TrayState {
  name: TrayStateName;
  /** One line: what the app is doing, and what needs attention. */
  line: string;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The tray state for the queue and the watched folders. */
export function trayState({ totals, watches }: WorkState): TrayState {
  const toGo = filesToGo(totals);
  const brokenWatches = watches.filter((w) => w.status === 'error');
  const watching = watches.length > 0 ? ` · watching ${count(watches.length, 'folder')}` : '';
  if (totals.mode === 'blocked') {
    return { name: 'error', line: `Stopped: ${totals.message ?? 'uploads cannot go on'}` };
  }
  if (totals.files.failed > 0) {
    return { name: 'error', line: `${count(totals.files.failed, 'file')} failed${watching}` };
  }
  if (brokenWatches.length > 0) {
    const first = brokenWatches[0]!;
    return {
      name: 'error',
      line: `Cannot watch ${first.folder}: ${first.message ?? 'the folder is unreadable'}`,
    };
  }
  if (toGo > 0 && totals.mode === 'running') {
    return { name: 'uploading', line: `Uploading: ${count(toGo, 'file')} to go${watching}` };
  }
  if (toGo > 0 || totals.files.paused > 0) {
    const waiting = toGo > 0 ? toGo : totals.files.paused;
    const why = totals.mode === 'offline' ? 'offline, resumes by itself' : 'paused';
    return { name: 'paused', line: `${count(waiting, 'file')} waiting (${why})${watching}` };
  }
  return { name: 'idle', line: watches.length > 0 ? `Idle${watching}` : 'Idle: nothing to upload' };
}

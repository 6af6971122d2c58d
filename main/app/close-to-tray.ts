/**
 * What closing the last window does: quit when there is nothing to do, otherwise go on in the tray, saying so in a
 * notification the first time (ever: the note is remembered in the settings file).
 */
import type { NotifierPort, SettingsStorePort } from '../engine/ports.ts';
import type { WorkState, WorkStateTracker } from './work-state.ts';
import { filesToGo, uploadsRunning } from './work-state.ts';

const NOTICE_SHOWN_KEY = 'trayNoticeShown';

interface CloseDecision {
  /** Quit the app, or keep it running in the tray. */
  action: 'quit' | 'stay-in-tray';
  /** The notification to show, only the first time the app stays in the tray. */
  notice: { title: string; body: string } | null;
}

/** Decides what closing the last window does, given the work and whether the tray note was shown before. */
export function closeDecision(work: WorkState, noticeShownBefore: boolean): CloseDecision {
  const uploading = uploadsRunning(work.totals);
  const watching = work.watches.length;
  if (!uploading && watching === 0) return { action: 'quit', notice: null };
  if (noticeShownBefore) return { action: 'stay-in-tray', notice: null };
  const doing = [
    uploading ? `${filesToGo(work.totals).toLocaleString('en-US')} files are still uploading` : null,
    watching > 0 ? `${watching === 1 ? '1 folder is' : `${watching} folders are`} watched` : null,
  ].filter(Boolean);
  return {
    action: 'stay-in-tray',
    notice: {
      title: 'Alegion Uploader goes on in the tray',
      body: `${doing.join(' and ')}. Open the app or quit it from the tray icon.`.replace(/^./, (c) =>
        c.toUpperCase(),
      ),
    },
  };
}

/** The remembered "the tray note was shown" flag, in the app's settings file. */
export function trayNoticeMemory(store: SettingsStorePort): { shown(): boolean; remember(): void } {
  return {
    shown: () => store.get(NOTICE_SHOWN_KEY) === true,
    remember: () => store.set(NOTICE_SHOWN_KEY, true),
  };
}

/** What closing the last window does, as the app's `window-all-closed` handler (macOS keeps its own rule). */
export function lastWindowClosedHandler(deps: {
  work: Pick<WorkStateTracker, 'current'>;
  memory: ReturnType<typeof trayNoticeMemory>;
  notifier: NotifierPort;
  quit: () => void;
}): () => void {
  return () => {
    const decision = closeDecision(deps.work.current(), deps.memory.shown());
    if (decision.action === 'quit') {
      deps.quit();
      return;
    }
    if (decision.notice) {
      deps.notifier.notify(decision.notice.title, decision.notice.body);
      deps.memory.remember();
    }
  };
}

/**
 * Whether Quit asks first: only while uploads run (they stop, and resume at the next start), and never while the
 * system shuts down or the user already answered.
 */
import type { MessageBoxOptions } from 'electron';
import type { QueueTotals } from '../../common/api.ts';
import { filesToGo, uploadsRunning } from './work-state.ts';

/** Index of the button that quits in `quitQuestion`'s buttons. */
export const QUIT_BUTTON = 0;

/** The question to ask before quitting, or null to quit at once. */
export function quitQuestion(totals: QueueTotals, systemShuttingDown: boolean): MessageBoxOptions | null {
  if (systemShuttingDown || !uploadsRunning(totals)) return null;
  const n = filesToGo(totals);
  return {
    type: 'question',
    title: 'Quit Alegion Uploader?',
    message: `${n.toLocaleString('en-US')} ${n === 1 ? 'file is' : 'files are'} still uploading. Quit anyway?`,
    detail:
      'Nothing is lost: the uploads stop now and go on from where they were the next time the app starts.',
    buttons: ['Quit', 'Keep uploading'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

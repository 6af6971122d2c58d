/**
 * Closing the last window (quit when idle, else stay in the tray with a note the first time ever) and Quit's
 * question (only while uploads run, never while the system shuts down).
 */
import { describe, expect, it } from 'vitest';
import { closeDecision, trayNoticeMemory } from '../../../../main/app/close-to-tray.ts';
import { QUIT_BUTTON, quitQuestion } from '../../../../main/app/quit-confirmation.ts';
import { emptyTotals } from '../../../../main/engine/parts.ts';
import { totalsWith, watchOf } from './work-fixtures.ts';

function memoryStore() {
  const values = new Map<string, unknown>();
  return {
    get: (key: string) => values.get(key),
    set: (key: string, value: unknown) => values.set(key, value),
  };
}

describe('closing the last window', () => {
  const uploading = totalsWith({ active: 2, waiting: 1, done: 4 });

  it('quits when nothing uploads and no folder is watched, paused work included', () => {
    expect(closeDecision({ totals: emptyTotals(), watches: [] }, false)).toEqual({
      action: 'quit',
      notice: null,
    });
    expect(closeDecision({ totals: { ...uploading, mode: 'paused' }, watches: [] }, false).action).toBe(
      'quit',
    );
  });

  it('stays in the tray while uploads run or folders are watched, and says why the first time', () => {
    expect(closeDecision({ totals: uploading, watches: [] }, false)).toEqual({
      action: 'stay-in-tray',
      notice: {
        title: 'Alegion Uploader goes on in the tray',
        body: '3 files are still uploading. Open the app or quit it from the tray icon.',
      },
    });
    expect(closeDecision({ totals: emptyTotals(), watches: [watchOf('/cam')] }, false).notice?.body).toBe(
      '1 folder is watched. Open the app or quit it from the tray icon.',
    );
    expect(
      closeDecision(
        { totals: { ...uploading, mode: 'offline' }, watches: [watchOf('/a'), watchOf('/b')] },
        false,
      ).notice?.body,
    ).toBe(
      '3 files are still uploading and 2 folders are watched. Open the app or quit it from the tray icon.',
    );
  });

  it('shows the note only once, remembered in the settings file across starts', () => {
    const store = memoryStore();
    const decide = () => {
      const memory = trayNoticeMemory(store);
      const decision = closeDecision({ totals: uploading, watches: [] }, memory.shown());
      if (decision.notice) memory.remember();
      return decision;
    };
    expect(decide().notice).not.toBeNull();
    const second = decide();
    expect(second).toEqual({ action: 'stay-in-tray', notice: null });
    // A settings file holding anything else than `true` never hides the note.
    const other = memoryStore();
    other.set('trayNoticeShown', 'yes');
    expect(trayNoticeMemory(other).shown()).toBe(false);
  });
});

describe('Quit', () => {
  it('asks while uploads run, with Keep uploading as the default and the escape answer', () => {
    const question = quitQuestion(totalsWith({ active: 1, waiting: 1 }), false);
    expect(question).toMatchObject({
      message: '2 files are still uploading. Quit anyway?',
      buttons: ['Quit', 'Keep uploading'],
      defaultId: 1,
      cancelId: 1,
    });
    expect(question!.buttons![QUIT_BUTTON]).toBe('Quit');
    expect(quitQuestion(totalsWith({ active: 1 }), false)?.message).toBe(
      '1 file is still uploading. Quit anyway?',
    );
    // Offline uploads resume by themselves: they are running work too.
    expect(quitQuestion(totalsWith({ waiting: 5 }, 'offline'), false)).not.toBeNull();
  });

  it('quits at once when nothing runs (idle, paused, only failures) or the system shuts down', () => {
    expect(quitQuestion(emptyTotals(), false)).toBeNull();
    expect(quitQuestion(totalsWith({ waiting: 4 }, 'paused'), false)).toBeNull();
    expect(quitQuestion(totalsWith({ failed: 3, done: 2 }), false)).toBeNull();
    expect(quitQuestion(totalsWith({ active: 2 }), true)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { QueueTotals } from '../../../common/api.ts';
import { emptyTotals } from '../../../main/engine/parts.ts';
import { APP_TITLE, windowTitle } from '../../../renderer/window-title.ts';

function totals(done: number, waiting: number, bytesDone: number, mode: QueueTotals['mode'] = 'running') {
  const base = emptyTotals(mode);
  const work = {
    files: { ...base.files, done, waiting, skipped: 2, total: done + waiting + 2 },
    bytes: { total: 1000, done: bytesDone },
  };
  // The listed files (older adds included) differ from the current work: the title follows the work.
  return { ...base, files: { ...base.files, done: 500, total: 500 }, work };
}

describe('window title', () => {
  it('shows the current work as a share of bytes and files done, with the mode when it does not move', () => {
    expect(windowTitle(totals(12, 28, 425))).toBe(`42% · 12 of 40 files – ${APP_TITLE}`);
    expect(windowTitle(totals(12, 28, 425, 'paused'))).toBe(`Paused · 42% · 12 of 40 files – ${APP_TITLE}`);
    expect(windowTitle(totals(1, 1, 999, 'offline'))).toMatch(/^Offline · 99% · 1 of 2 files/);
  });

  it('is the app name alone with nothing left to do or nothing known', () => {
    expect(windowTitle(totals(40, 0, 1000))).toBe(APP_TITLE);
    expect(windowTitle(null)).toBe(APP_TITLE);
  });
});

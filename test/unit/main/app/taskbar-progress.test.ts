import { describe, expect, it } from 'vitest';
import type { AlegionEvents, QueueTotals } from '../../../../common/api.ts';
import { emptyTotals } from '../../../../main/engine/parts.ts';
import { createEventHub } from '../../../../main/engine/events.ts';
import { showQueueProgress } from '../../../../main/app/taskbar-progress.ts';
import type { ProgressWindow } from '../../../../main/app/taskbar-progress.ts';

function fakeWindow() {
  const calls: { value: number; mode: string | undefined }[] = [];
  let destroyed = false;
  const win: ProgressWindow = {
    setProgressBar: (value, options) => calls.push({ value, mode: options?.mode }),
    isDestroyed: () => destroyed,
  };
  return { win, calls, destroy: () => (destroyed = true) };
}

function totals(
  done: number,
  total: number,
  waiting: number,
  mode: QueueTotals['mode'] = 'running',
): QueueTotals {
  const base = emptyTotals(mode);
  const work = {
    files: { ...base.files, done, waiting, total: done + waiting },
    bytes: { total, done: (done / (done + waiting)) * total },
  };
  return { ...base, ...work, work };
}

const snapshot = (t: QueueTotals): AlegionEvents['queueProgress'] => ({ totals: t, active: [], at: 0 });

describe('taskbar progress', () => {
  it('shows the share of bytes sent, paused and blocked as such, and takes the bar away when all is done', () => {
    const hub = createEventHub();
    const { win, calls } = fakeWindow();
    const stop = showQueueProgress(hub, win);
    hub.emit('queueProgress', snapshot(totals(1, 4000, 3)));
    hub.emit('queueProgress', snapshot(totals(1, 4000, 3))); // unchanged: not set again
    hub.emit('queueProgress', snapshot(totals(2, 4000, 2, 'paused')));
    hub.emit('queueProgress', snapshot(totals(2, 4000, 2, 'blocked')));
    hub.emit('queueProgress', snapshot(totals(4, 4000, 0)));
    expect(calls).toEqual([
      { value: 0.25, mode: 'normal' },
      { value: 0.5, mode: 'paused' },
      { value: 0.5, mode: 'error' },
      { value: -1, mode: 'none' },
    ]);
    stop();
    hub.emit('queueProgress', snapshot(totals(1, 4000, 3)));
    expect(calls).toHaveLength(5); // stopping clears the bar once, and nothing follows
    expect(calls.at(-1)).toEqual({ value: -1, mode: 'none' });
  });

  it('leaves a destroyed window alone', () => {
    const hub = createEventHub();
    const { win, calls, destroy } = fakeWindow();
    const stop = showQueueProgress(hub, win);
    destroy();
    hub.emit('queueProgress', snapshot(totals(1, 4000, 3)));
    stop();
    expect(calls).toEqual([]);
  });
});

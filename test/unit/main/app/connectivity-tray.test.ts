/** Connectivity from net.isOnline and powerMonitor; the tray summary and taskbar progress from queue totals. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnectivity } from '../../../../main/app/connectivity.ts';
import { queueSummary, taskbarProgress, trayMenuTemplate } from '../../../../main/app/tray.ts';
import { emptyTotals } from '../../../../main/engine/parts.ts';

function fakePower() {
  const handlers = new Map<string, () => void>();
  return {
    fire: (event: string) => handlers.get(event)?.(),
    on: (event: 'suspend' | 'resume', fn: () => void) => handlers.set(event, fn),
    removeListener: (event: 'suspend' | 'resume') => handlers.delete(event),
    handlers,
  };
}

afterEach(() => vi.useRealTimers());

describe('createConnectivity', () => {
  it('reports changes seen by polling net.isOnline', () => {
    vi.useFakeTimers();
    let online = true;
    const changes: boolean[] = [];
    const connectivity = createConnectivity({ isOnline: () => online }, fakePower(), 1000);
    connectivity.onChange((value) => changes.push(value));
    online = false;
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(1000);
    online = true;
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual([false, true]);
    expect(connectivity.isOnline()).toBe(true);
    connectivity.dispose();
  });

  it('is offline while suspended and checks again on resume', () => {
    vi.useFakeTimers();
    const power = fakePower();
    const changes: boolean[] = [];
    const connectivity = createConnectivity({ isOnline: () => true }, power, 1000);
    connectivity.onChange((value) => changes.push(value));
    power.fire('suspend');
    vi.advanceTimersByTime(3000);
    expect(connectivity.isOnline()).toBe(false);
    power.fire('resume');
    expect(changes).toEqual([false, true]);
    connectivity.dispose();
    expect(power.handlers.size).toBe(0);
  });
});

describe('tray and taskbar', () => {
  const busy = {
    ...emptyTotals(),
    files: { waiting: 3, active: 2, done: 5, failed: 1, paused: 0, canceled: 0, skipped: 0, total: 11 },
    bytes: { total: 1000, done: 250 },
  };

  it('summarises the queue in one line', () => {
    expect(queueSummary(emptyTotals())).toBe('Alegion Uploader: nothing queued');
    expect(queueSummary(busy)).toBe('Alegion Uploader: 5/11 done, 5 to go, 1 failed');
    expect(queueSummary({ ...busy, mode: 'offline' })).toContain('offline');
  });

  it('shows bytes done on the taskbar, paused or error by mode, and nothing when idle', () => {
    expect(taskbarProgress(emptyTotals())).toEqual({ value: -1, mode: 'none' });
    expect(taskbarProgress(busy)).toEqual({ value: 0.25, mode: 'normal' });
    expect(taskbarProgress({ ...busy, mode: 'paused' }).mode).toBe('paused');
    expect(taskbarProgress({ ...busy, mode: 'blocked' }).mode).toBe('error');
  });

  it('offers pause all and resume all', () => {
    const engine = { pauseItems: vi.fn(async () => {}), resumeItems: vi.fn(async () => {}) };
    const items = trayMenuTemplate('summary', engine, vi.fn(), vi.fn());
    items.find((i) => i.label === 'Pause all')!.click!(undefined as never, undefined, undefined as never);
    items.find((i) => i.label === 'Resume all')!.click!(undefined as never, undefined, undefined as never);
    expect(engine.pauseItems).toHaveBeenCalledWith({});
    expect(engine.resumeItems).toHaveBeenCalledWith({});
  });
});

/** Connectivity from net.isOnline and powerMonitor. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnectivity } from '../../../../main/app/connectivity.ts';

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

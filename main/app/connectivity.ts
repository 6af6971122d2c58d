/**
 * The engine's connectivity port on the desktop: `net.isOnline()` polled (Chromium's view of the network), and
 * `powerMonitor` suspend and resume, since sockets do not survive a sleep: suspend reads as offline, resume as a
 * fresh check.
 */
import type { ConnectivityPort } from '../engine/ports.ts';

interface NetPort {
  isOnline(): boolean;
}

interface PowerMonitorPort {
  on(event: 'suspend' | 'resume', listener: () => void): unknown;
  removeListener(event: 'suspend' | 'resume', listener: () => void): unknown;
}

/** Creates the connectivity port; `dispose()` stops polling and listening. */
export function createConnectivity(
  net: NetPort,
  powerMonitor: PowerMonitorPort,
  intervalMs = 5000,
): ConnectivityPort & { dispose(): void } {
  const listeners = new Set<(online: boolean) => void>();
  let suspended = false;
  let online = net.isOnline();
  const update = (next: boolean): void => {
    if (next === online) return;
    online = next;
    for (const listener of [...listeners]) listener(next);
  };
  const check = () => update(!suspended && net.isOnline());
  const timer = setInterval(check, intervalMs);
  timer.unref?.();
  const onSuspend = () => {
    suspended = true;
    update(false);
  };
  const onResume = () => {
    suspended = false;
    check();
  };
  powerMonitor.on('suspend', onSuspend);
  powerMonitor.on('resume', onResume);
  return {
    isOnline: () => online,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      clearInterval(timer);
      powerMonitor.removeListener('suspend', onSuspend);
      powerMonitor.removeListener('resume', onResume);
      listeners.clear();
    },
  };
}

/** A fake AlegionBridge for store tests: every method rejects unless a test gives it; events are emitted by hand. */
import { EVENT_NAMES, METHOD_NAMES, subscriptionName } from '../../../../common/api.ts';
import type { AlegionApi, AlegionBridge, AlegionEvents, EventName } from '../../../../common/api.ts';
import { createAppStore } from '../../../../renderer/store/app-store.ts';

interface FakeBridge {
  bridge: AlegionBridge;
  calls: { method: keyof AlegionApi; args: unknown[] }[];
  emit: <E extends EventName>(event: E, payload: AlegionEvents[E]) => void;
}

/** Builds the fake with the given method implementations. */
export function fakeBridge(methods: Partial<AlegionApi>): FakeBridge {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: FakeBridge['calls'] = [];
  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    bridge[method] = (...args: unknown[]) => {
      calls.push({ method, args });
      const impl = methods[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
      return impl ? impl(...args) : Promise.reject(new Error(`${method} is not part of this test`));
    };
  }
  for (const event of EVENT_NAMES) {
    bridge[subscriptionName(event)] = (listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    };
  }
  return {
    bridge: bridge as unknown as AlegionBridge,
    calls,
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
  };
}

/** A store over a fake bridge with hand-driven frames and timers. */
export function testStore(methods: Partial<AlegionApi>) {
  const fake = fakeBridge(methods);
  const frames: (() => void)[] = [];
  const timers: (() => void)[] = [];
  const notifications: { title: string; body: string }[] = [];
  const { store, dispose } = createAppStore({
    bridge: fake.bridge,
    schedule: (fn) => frames.push(fn),
    later: (fn) => timers.push(fn),
    notify: (title, body) => notifications.push({ title, body }),
  });
  return {
    ...fake,
    store,
    dispose,
    notifications,
    /** Runs the pending frame callbacks (what the browser does before painting). */
    flushFrames: () => frames.splice(0).forEach((fn) => fn()),
    /** Runs the pending delayed callbacks. */
    flushTimers: () => timers.splice(0).forEach((fn) => fn()),
    pendingTimers: () => timers.length,
  };
}

/** Lets pending promise callbacks run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

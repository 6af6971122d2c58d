/**
 * The engine's event hub: every contract event goes through here, so hosts forward one stream (IPC to the window,
 * JSON frames to every WebSocket) and tests can listen in.
 */
import type { AlegionEvents, EventName } from '../../common/api.ts';

type AnyEventListener = <E extends EventName>(event: E, payload: AlegionEvents[E]) => void;

export interface EventHub {
  on<E extends EventName>(event: E, listener: (payload: AlegionEvents[E]) => void): () => void;
  /** Every event, in order; what the hosts forward. */
  onAny(listener: AnyEventListener): () => void;
  emit<E extends EventName>(event: E, payload: AlegionEvents[E]): void;
}

/** Creates an event hub. A throwing listener is isolated: the others still receive the event. */
export function createEventHub(onListenerError: (error: unknown) => void = () => {}): EventHub {
  const anyListeners = new Set<AnyEventListener>();
  const byEvent = new Map<EventName, Set<(payload: never) => void>>();
  return {
    on(event, listener) {
      const set = byEvent.get(event) ?? new Set();
      byEvent.set(event, set);
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
    onAny(listener) {
      anyListeners.add(listener);
      return () => anyListeners.delete(listener);
    },
    emit(event, payload) {
      for (const listener of [...(byEvent.get(event) ?? [])]) {
        try {
          (listener as (value: typeof payload) => void)(payload);
        } catch (error) {
          onListenerError(error);
        }
      }
      for (const listener of [...anyListeners]) {
        try {
          listener(event, payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
  };
}

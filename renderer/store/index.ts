/**
 * The app's store instance and the hook views read it with. `installStore` runs once at start-up, before the
 * first render, with the bridge from renderer/api.ts; the subscriptions live as long as the page.
 */
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AlegionBridge } from '../../common/api.ts';
import { browserPorts, createAppStore } from './app-store.ts';
import type { AppState } from './types.ts';

let appStore: StoreApi<AppState> | null = null;

/** Creates the store for the given bridge (once) and returns it. */
export function installStore(bridge: AlegionBridge): StoreApi<AppState> {
  appStore ??= createAppStore({ bridge, ...browserPorts() }).store;
  return appStore;
}

/** The installed store (views call actions through `getState()` outside of render). */
function getStore(): StoreApi<AppState> {
  if (!appStore) throw new Error('The store is used before it was installed.');
  return appStore;
}

/** Reads one value of the store; the component re-renders only when that value changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(getStore(), selector);
}

/** The store's actions and state, outside of render (event handlers). */
export function actions(): AppState {
  return getStore().getState();
}

/**
 * Builds the one store of the app from its slices and wires the engine's events to it, once, here: components
 * only read (atomic selectors) and call actions.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { createBatchHistorySlice } from './batch-history-slice.ts';
import { createCatalogSlice } from './catalog-slice.ts';
import { createConnectionSlice } from './connection-slice.ts';
import { createExportsSlice } from './exports-slice.ts';
import { createIntakeSlice } from './intake-slice.ts';
import { createItemDetailsSlice } from './item-details-slice.ts';
import { createNavigationSlice } from './navigation-slice.ts';
import { createNoticesSlice } from './notices-slice.ts';
import { createQueueSlice } from './queue-slice.ts';
import { createRecordsSlice } from './records-slice.ts';
import { createSelectionSlice } from './selection-slice.ts';
import { createSettingsSlice } from './settings-slice.ts';
import { createTransfersSlice } from './transfers-slice.ts';
import { createWatchSlice } from './watch-slice.ts';
import type { AppState, StoreDeps } from './types.ts';

interface AppStore {
  store: StoreApi<AppState>;
  /** Removes the event subscriptions (tests; the app keeps them for its lifetime). */
  dispose: () => void;
}

/** Creates the store and subscribes it to every event of the bridge. */
export function createAppStore(deps: StoreDeps): AppStore {
  const store = createStore<AppState>()((set, get) => ({
    ...createConnectionSlice(set, get, deps),
    ...createCatalogSlice(set, get, deps),
    ...createBatchHistorySlice(set, get, deps),
    ...createQueueSlice(set, get, deps),
    ...createTransfersSlice(set, get, deps),
    ...createSelectionSlice(set, get, deps),
    ...createIntakeSlice(set, get, deps),
    ...createRecordsSlice(set, get, deps),
    ...createExportsSlice(set, get, deps),
    ...createSettingsSlice(set, get, deps),
    ...createNoticesSlice(set, get, deps),
    ...createNavigationSlice(set, get, deps),
    ...createItemDetailsSlice(set, get, deps),
    ...createWatchSlice(set, get, deps),
  }));
  const s = store.getState;
  const { bridge } = deps;
  const unsubscribers = [
    bridge.onConnectionChanged((state) => s().applyConnection(state)),
    bridge.onQueueProgress((snapshot) => s().receiveProgress(snapshot)),
    bridge.onQueueProgress(() => s().transfersTick()),
    bridge.onQueueChanged(() => s().receiveQueueChanged()),
    // An open item's history grows while it is retried: its details follow the queue's changes.
    bridge.onQueueChanged(() => s().refreshItemDetails()),
    // The open batch's history counts the files its transfers sent, failed or canceled.
    bridge.onQueueChanged(() => s().refreshBatchHistory()),
    bridge.onScanProgress((summary) => s().applyScanProgress(summary)),
    bridge.onBatchCompletion((completion) => s().applyCompletion(completion)),
    bridge.onExportChanged((job) => s().applyExport(job)),
    bridge.onSettingsChanged((settings) => store.setState({ settings })),
    bridge.onNotice((notice) => s().pushNotice(notice.level, notice.message)),
    bridge.onWatchedFoldersChanged((watches) => s().applyWatches(watches)),
  ];
  return { store, dispose: () => unsubscribers.forEach((off) => off()) };
}

/** Browser implementations of the store's ports: animation frames, timers, the Notification API. */
export function browserPorts(): Omit<StoreDeps, 'bridge'> {
  return {
    schedule: (fn) => {
      if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
        requestAnimationFrame(() => fn());
      } else setTimeout(fn, 16);
    },
    later: (fn, ms) => void setTimeout(fn, ms),
    notify: (title, body) => {
      if (typeof Notification === 'undefined') return;
      const show = (): void => void new Notification(title, { body });
      if (Notification.permission === 'granted') show();
      else if (Notification.permission === 'default') {
        void Notification.requestPermission().then((p) => (p === 'granted' ? show() : undefined));
      }
    },
  };
}

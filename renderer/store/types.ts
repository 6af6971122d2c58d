/**
 * The store's shape: one zustand store made of slices (connection, catalog of workflows and batches, a batch's
 * history, queue, intake, records import, exports, settings, notices, navigation, watched folders). Each slice lives in its own file; this file only names them.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AlegionBridge } from '../../common/api.ts';
import type { BatchHistorySlice } from './batch-history-slice.ts';
import type { CatalogSlice } from './catalog-slice.ts';
import type { ConnectionSlice } from './connection-slice.ts';
import type { ExportsSlice } from './exports-slice.ts';
import type { IntakeSlice } from './intake-slice.ts';
import type { ItemDetailsSlice } from './item-details-slice.ts';
import type { NavigationSlice } from './navigation-slice.ts';
import type { NoticesSlice } from './notices-slice.ts';
import type { QueueSlice } from './queue-slice.ts';
import type { RecordsSlice } from './records-slice.ts';
import type { SelectionSlice } from './selection-slice.ts';
import type { SettingsSlice } from './settings-slice.ts';
import type { TransfersSlice } from './transfers-slice.ts';
import type { WatchSlice } from './watch-slice.ts';

export type AppState = ConnectionSlice &
  CatalogSlice &
  BatchHistorySlice &
  QueueSlice &
  TransfersSlice &
  SelectionSlice &
  IntakeSlice &
  RecordsSlice &
  ExportsSlice &
  SettingsSlice &
  NoticesSlice &
  NavigationSlice &
  ItemDetailsSlice &
  WatchSlice;

/** Loading state of anything fetched: a designed look exists for each. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** What the slices need from outside: the bridge, and the browser facilities, passed in so tests can fake them. */
export interface StoreDeps {
  bridge: AlegionBridge;
  /** Runs `fn` once before the next paint (coalesces bursts of events into one store update). */
  schedule: (fn: () => void) => void;
  /** Shows a desktop notification (no-op when the platform refuses). */
  notify: (title: string, body: string) => void;
  /** Delays `fn` (throttles refetches); returns nothing, a store never cancels it. */
  later: (fn: () => void, ms: number) => void;
}

type SetState = StoreApi<AppState>['setState'];
export type GetState = StoreApi<AppState>['getState'];

/** The signature every slice creator shares. */
export type SliceCreator<T> = (set: SetState, get: GetState, deps: StoreDeps) => T;

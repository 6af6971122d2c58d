/** Every event the engine pushes to the renderer, and the bridge the renderer sees (methods plus subscriptions). */
import type { ConnectionState } from './profiles.ts';
import type { Completion } from './batches.ts';
import type { ScanSummary } from './intake.ts';
import type { ProgressSnapshot } from './queue.ts';
import type { ExportJobView } from './exports.ts';
import type { WatchedFolderView } from './watch.ts';
import type { Settings } from './settings.ts';
import type { AlegionApi } from './methods.ts';

export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
  at: string;
}

/** Every event the engine pushes to the renderer, by name, with its payload. */
export interface AlegionEvents {
  connectionChanged: ConnectionState;
  /** Coalesced progress, at most 10 Hz. */
  queueProgress: ProgressSnapshot;
  /** Items were added, removed or changed state: visible pages should be fetched again. */
  queueChanged: { reason: string };
  scanProgress: ScanSummary;
  batchCompletion: Completion;
  exportChanged: ExportJobView;
  settingsChanged: Settings;
  notice: Notice;
  /** The watched folders changed (added, stopped, or their counts moved): the whole list, it is short. */
  watchedFoldersChanged: WatchedFolderView[];
}

export type EventName = keyof AlegionEvents;

export const EVENT_NAMES: readonly EventName[] = [
  'connectionChanged',
  'queueProgress',
  'queueChanged',
  'scanProgress',
  'batchCompletion',
  'exportChanged',
  'settingsChanged',
  'notice',
  'watchedFoldersChanged',
];

/** The renderer-side API: the methods, plus one subscription per event that returns an unsubscribe function. */
export type AlegionBridge = AlegionApi & {
  [E in EventName as `on${Capitalize<E>}`]: (listener: (payload: AlegionEvents[E]) => void) => () => void;
} & {
  /** Desktop only: the file-system paths of dropped files and folders (browsers hide paths, so it is absent). */
  pathsForDroppedFiles?: (files: readonly File[]) => string[];
};

/** Name of the subscription method for an event, e.g. `onQueueProgress`. */
export function subscriptionName<E extends EventName>(event: E): `on${Capitalize<E>}` {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}` as `on${Capitalize<E>}`;
}

/**
 * What the app is doing, in one value that the tray, the close button, Quit and the updater all read: the queue's
 * totals and the watched folders, kept current from the engine's events.
 */
import type { QueueTotals, WatchedFolderView } from '../../common/api.ts';
import type { Engine } from '../engine/create-engine.ts';
import { emptyTotals } from '../engine/parts.ts';

export interface WorkState {
  totals: QueueTotals;
  watches: WatchedFolderView[];
}

/** Files still to upload that will move on their own (not paused): quitting or installing would interrupt them. */
export function uploadsRunning(totals: QueueTotals): boolean {
  return totals.files.active + totals.files.waiting > 0 && totals.mode !== 'paused';
}

/** Files still to upload, whatever the queue's mode. */
export function filesToGo(totals: QueueTotals): number {
  return totals.files.active + totals.files.waiting;
}

export interface WorkStateTracker {
  current(): WorkState;
  /** Calls `listener` with every change; returns a function that stops it. */
  onChange(listener: (state: WorkState) => void): () => void;
  dispose(): void;
}

/** Follows the engine: progress snapshots carry the totals, and the watched folders come whole with each change. */
export function trackWorkState(
  engine: Pick<Engine, 'events' | 'getQueueTotals' | 'listWatchedFolders'>,
): WorkStateTracker {
  let state: WorkState = { totals: emptyTotals(), watches: [] };
  const listeners = new Set<(state: WorkState) => void>();
  const update = (patch: Partial<WorkState>): void => {
    state = { ...state, ...patch };
    for (const listener of [...listeners]) listener(state);
  };
  const refreshTotals = (): void =>
    void engine.getQueueTotals().then(
      (totals) => update({ totals }),
      () => {},
    );
  const stops = [
    engine.events.on('queueProgress', (snapshot) => update({ totals: snapshot.totals })),
    // Items added, finished or paused without a transfer in flight send no progress: read the totals again.
    engine.events.on('queueChanged', refreshTotals),
    engine.events.on('watchedFoldersChanged', (watches) => update({ watches })),
  ];
  refreshTotals();
  void engine.listWatchedFolders().then(
    (watches) => update({ watches }),
    () => {},
  );
  return {
    current: () => state,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      for (const stop of stops) stop();
      listeners.clear();
    },
  };
}

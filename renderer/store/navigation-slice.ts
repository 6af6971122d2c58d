/** Which screen of the workspace is open. */
import type { SliceCreator } from './types.ts';

export type View =
  | { name: 'queue' }
  | { name: 'batch'; workflowId: string; batchId: string }
  /** From a batch's "Export…": the form opens on that workflow with the batch ticked. */
  | { name: 'exports'; workflowId?: string; batchId?: string }
  | { name: 'settings' }
  | { name: 'profiles' };

export interface NavigationSlice {
  view: View;
  /** Opens a screen; opening a batch starts tracking its completion. */
  navigate: (view: View) => void;
}

/** Creates the navigation slice. */
export const createNavigationSlice: SliceCreator<NavigationSlice> = (set, get) => ({
  view: { name: 'queue' },
  navigate: (view) => {
    set({ view });
    if (view.name === 'batch') {
      void get().openBatch(view.workflowId, view.batchId);
      void get().loadBatchHistory(view.batchId);
    }
  },
});

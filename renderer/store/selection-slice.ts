/**
 * Rows selected in the queue, by item id: a click selects one, Ctrl (or ⌘) adds or takes one out, Shift selects
 * the range from the last clicked row (over the pages loaded, which hold every row in view).
 */
import { itemAt } from './queue-pages.ts';
import type { SliceCreator } from './types.ts';

export interface SelectionSlice {
  /** Selected item ids, in the order they were selected. */
  selectedIds: number[];
  /** The row index a Shift-click extends from. */
  selectionAnchor: number | null;
  selectRow: (index: number, how: { shift: boolean; toggle: boolean }) => void;
  clearSelection: () => void;
}

/** Creates the selection slice. */
export const createSelectionSlice: SliceCreator<SelectionSlice> = (set, get) => ({
  selectedIds: [],
  selectionAnchor: null,

  selectRow: (index, { shift, toggle }) => {
    const { queuePages, selectedIds, selectionAnchor } = get();
    const item = itemAt(queuePages, index);
    if (!item) return;
    if (shift && selectionAnchor !== null) {
      const [from, to] = selectionAnchor < index ? [selectionAnchor, index] : [index, selectionAnchor];
      const ids: number[] = [];
      for (let i = from; i <= to; i++) {
        const row = itemAt(queuePages, i);
        if (row) ids.push(row.id);
      }
      const merged = toggle ? [...new Set([...selectedIds, ...ids])] : ids;
      return set({ selectedIds: merged });
    }
    if (toggle) {
      const has = selectedIds.includes(item.id);
      return set({
        selectedIds: has ? selectedIds.filter((id) => id !== item.id) : [...selectedIds, item.id],
        selectionAnchor: index,
      });
    }
    set({ selectedIds: [item.id], selectionAnchor: index });
  },

  clearSelection: () => set({ selectedIds: [], selectionAnchor: null }),
});

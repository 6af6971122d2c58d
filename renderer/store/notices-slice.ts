/** Messages for the user (toasts) and the recent errors that "Copy diagnostics" includes. */
import type { Notice } from '../../common/api.ts';
import type { SliceCreator } from './types.ts';

export interface NoticeView extends Notice {
  id: number;
}

export interface NoticesSlice {
  notices: NoticeView[];
  /** Shows a message; the newest five are kept. */
  pushNotice: (level: Notice['level'], message: string) => void;
  dismissNotice: (id: number) => void;
}

let nextId = 1;

/** Creates the notices slice. */
export const createNoticesSlice: SliceCreator<NoticesSlice> = (set) => ({
  notices: [],
  pushNotice: (level, message) =>
    set((s) => ({
      notices: [...s.notices, { id: nextId++, level, message, at: new Date().toISOString() }].slice(-5),
    })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});

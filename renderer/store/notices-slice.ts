/**
 * Messages for the user (toasts). The same message again collapses into the one already shown, with a count; info
 * and warnings expire after a few seconds, errors stay until dismissed or superseded by the same error again.
 */
import type { Notice } from '../../common/api.ts';
import { reasonText } from '../reason-text.ts';
import type { SliceCreator } from './types.ts';

export interface NoticeView extends Notice {
  id: number;
  /** How many times this message arrived (shown as "×3" when more than once). */
  count: number;
  /** When it goes by itself (ms since the epoch); null for errors, which wait to be dismissed. */
  expiresAt: number | null;
}

/** How long a notice stays by level; errors stay. */
export const NOTICE_TTL_MS: Readonly<Record<Notice['level'], number | null>> = {
  info: 5000,
  warning: 10_000,
  error: null,
};

/** Notices kept at most (the toasts show the newest few and count the rest). */
export const MAX_NOTICES = 20;

export interface NoticesSlice {
  /** Oldest first. */
  notices: NoticeView[];
  /** Shows a message; the same level and message again bumps the one shown (count, newest place, fresh timer). */
  pushNotice: (level: Notice['level'], message: string) => void;
  dismissNotice: (id: number) => void;
  dismissAllNotices: () => void;
  /** Drops the notices whose time is up at `now`. */
  expireNotices: (now: number) => void;
}

let nextId = 1;

/** Creates the notices slice. */
export const createNoticesSlice: SliceCreator<NoticesSlice> = (set) => ({
  notices: [],
  pushNotice: (level, raw) =>
    set((s) => {
      // The engine's and the API client's wording ("cannot reach …", "API key rejected: …") as a sentence.
      const message = reasonText(raw);
      const now = Date.now();
      const ttl = NOTICE_TTL_MS[level];
      const same = s.notices.find((n) => n.level === level && n.message === message);
      const others = same ? s.notices.filter((n) => n !== same) : s.notices;
      const next: NoticeView = {
        id: same?.id ?? nextId++,
        level,
        message,
        at: new Date(now).toISOString(),
        count: (same?.count ?? 0) + 1,
        expiresAt: ttl === null ? null : now + ttl,
      };
      return { notices: [...others, next].slice(-MAX_NOTICES) };
    }),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  dismissAllNotices: () => set({ notices: [] }),
  expireNotices: (now) =>
    set((s) => {
      const kept = s.notices.filter((n) => n.expiresAt === null || n.expiresAt > now);
      return kept.length === s.notices.length ? s : { notices: kept };
    }),
});

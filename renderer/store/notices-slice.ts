/**
 * Messages for the user (toasts). The same message again collapses into the one already shown, with a count. Info
 * and warnings go after a few seconds; errors stay longer, then move to the problems list (the top bar's
 * "Problems"), where they stay until cleared, so an error never covers every screen for good.
 */
import type { Notice } from '../../common/api.ts';
import { reasonText } from '../reason-text.ts';
import type { SliceCreator } from './types.ts';

export interface NoticeView extends Notice {
  id: number;
  /** How many times this message arrived (shown as "×3" when more than once). */
  count: number;
  /** When it goes by itself (ms since the epoch); null: it waits to be dismissed. */
  expiresAt: number | null;
}

/** How long a toast stays by level; an error's then goes to the problems list. */
export const NOTICE_TTL_MS: Readonly<Record<Notice['level'], number | null>> = {
  info: 5000,
  warning: 10_000,
  error: 20_000,
};

/** Problems kept at most (the oldest go first). */
const MAX_PROBLEMS = 50;

/** Notices kept at most (the toasts show the newest few and count the rest). */
export const MAX_NOTICES = 20;

export interface NoticesSlice {
  /** Oldest first. */
  notices: NoticeView[];
  /** Errors whose toast went (by itself or dismissed), oldest first, until cleared. */
  problems: NoticeView[];
  clearProblems: () => void;
  /** Shows a message; the same level and message again bumps the one shown (count, newest place, fresh timer). */
  pushNotice: (level: Notice['level'], message: string) => void;
  dismissNotice: (id: number) => void;
  dismissAllNotices: () => void;
  /** Drops the notices whose time is up at `now`. */
  expireNotices: (now: number) => void;
}

let nextId = 1;

/** Errors among `gone` join the problems list (the same message again bumps the one there). */
function keepProblems(problems: NoticeView[], gone: readonly NoticeView[]): NoticeView[] {
  let next = problems;
  for (const notice of gone) {
    if (notice.level !== 'error') continue;
    const same = next.find((p) => p.message === notice.message);
    const merged = same ? { ...notice, count: same.count + notice.count } : notice;
    next = [...next.filter((p) => p !== same), { ...merged, expiresAt: null }];
  }
  return next.slice(-MAX_PROBLEMS);
}

/** Creates the notices slice. */
export const createNoticesSlice: SliceCreator<NoticesSlice> = (set) => ({
  notices: [],
  problems: [],
  clearProblems: () => set({ problems: [] }),
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
  dismissNotice: (id) =>
    set((s) => ({
      notices: s.notices.filter((n) => n.id !== id),
      problems: keepProblems(
        s.problems,
        s.notices.filter((n) => n.id === id),
      ),
    })),
  dismissAllNotices: () => set((s) => ({ notices: [], problems: keepProblems(s.problems, s.notices) })),
  expireNotices: (now) =>
    set((s) => {
      const kept = s.notices.filter((n) => n.expiresAt === null || n.expiresAt > now);
      if (kept.length === s.notices.length) return s;
      const gone = s.notices.filter((n) => !kept.includes(n));
      return { notices: kept, problems: keepProblems(s.problems, gone) };
    }),
});

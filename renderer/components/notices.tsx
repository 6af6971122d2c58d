/**
 * Toasts, bottom right (clear of the banners' buttons at the top): the newest three, then "+N more" with Show all
 * and Dismiss all. Info fades after a few seconds (not while the pointer or focus is on the stack), errors stay
 * until closed. Each toast is its own live region (status or alert), so the stack itself is not one: a message is
 * announced once.
 */
import { useEffect, useState } from 'react';
import { actions, useApp } from '../store/index.ts';
import type { NoticeView } from '../store/notices-slice.ts';

/** Toasts shown before the rest are folded into "+N more". */
export const VISIBLE_NOTICES = 3;
/** Time left to read a toast whose time ran out while the pointer held the stack. */
const GRACE_MS = 1500;

function Toast({ notice }: { notice: NoticeView }) {
  return (
    <div
      className={`toast ${notice.level}`}
      role={notice.level === 'error' ? 'alert' : 'status'}
      data-testid="toast"
    >
      <p>
        {notice.message}
        {notice.count > 1 && (
          <>
            <span className="toast-count" aria-hidden="true">
              ×{notice.count}
            </span>
            <span className="visually-hidden"> ({notice.count} times)</span>
          </>
        )}
      </p>
      <button
        type="button"
        className="ghost small"
        onClick={() => actions().dismissNotice(notice.id)}
        aria-label="Dismiss"
      >
        ✕
      </button>
    </div>
  );
}

/** Schedules the expiry of the notice that goes first, unless the person is looking at the stack. */
function useExpiry(notices: NoticeView[], held: boolean): void {
  useEffect(() => {
    if (held) return undefined;
    const times = notices.flatMap((n) => (n.expiresAt === null ? [] : [n.expiresAt]));
    if (times.length === 0) return undefined;
    const first = Math.min(...times) - Date.now();
    const timer = setTimeout(() => actions().expireNotices(Date.now()), first <= 0 ? GRACE_MS : first);
    return () => clearTimeout(timer);
  }, [notices, held]);
}

/** The stack, newest first: the newest three, or every one when expanded; nothing without notices. */
export function NoticeStack({
  notices,
  expanded,
  setExpanded,
  setHeld,
}: {
  notices: NoticeView[];
  expanded: boolean;
  setExpanded: (expanded: boolean) => void;
  /** True while the pointer or the focus is on the stack (toasts wait to expire). */
  setHeld: (held: boolean) => void;
}) {
  if (notices.length === 0) return null;
  const newestFirst = [...notices].reverse();
  const shown = expanded ? newestFirst : newestFirst.slice(0, VISIBLE_NOTICES);
  const hidden = notices.length - shown.length;
  return (
    <section
      className="toasts"
      aria-label="Notifications"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHeld(false);
      }}
    >
      {shown.map((n) => (
        <Toast key={n.id} notice={n} />
      ))}
      {(hidden > 0 || expanded) && (
        <div className="toast-more">
          {hidden > 0 ? (
            <button type="button" className="ghost small" onClick={() => setExpanded(true)}>
              +{hidden} more
            </button>
          ) : (
            <button type="button" className="ghost small" onClick={() => setExpanded(false)}>
              Show fewer
            </button>
          )}
          <span className="spacer" />
          <button type="button" className="ghost small" onClick={() => actions().dismissAllNotices()}>
            Dismiss all
          </button>
        </div>
      )}
    </section>
  );
}

/** The toasts of the app, fed by the store. */
export function Notices() {
  const notices = useApp((s) => s.notices);
  const [expanded, setExpanded] = useState(false);
  const [held, setHeld] = useState(false);
  useExpiry(notices, held);
  // Down to the few that fit, the stack is simply shown; "Show fewer" would have nothing to fold.
  const open = expanded && notices.length > VISIBLE_NOTICES;
  return <NoticeStack notices={notices} expanded={open} setExpanded={setExpanded} setHeld={setHeld} />;
}

/**
 * Toasts in two places: passing news bottom left, errors and warnings bottom right (clear of the banners' buttons at
 * the top). Each stack shows its newest three, then "+N more" with Show all and Dismiss all. Toasts go by themselves
 * (not while the pointer or focus is on their stack); an error's then waits in the top bar's Problems list. Each
 * toast is its own live region (status or alert), so a stack itself is not one: a message is announced once.
 */
import { useEffect, useState } from 'react';
import { formatDateTime } from '../format.ts';
import { Dialog } from './dialog.tsx';
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
  label = 'Notifications',
  className = 'toasts',
}: {
  label?: string;
  className?: string;
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
      className={className}
      aria-label={label}
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

/** One stack of toasts with its own expiry, held while the person looks at it. */
function Stack({ notices, label, className }: { notices: NoticeView[]; label: string; className: string }) {
  const [expanded, setExpanded] = useState(false);
  const [held, setHeld] = useState(false);
  useExpiry(notices, held);
  // Down to the few that fit, the stack is simply shown; "Show fewer" would have nothing to fold.
  const open = expanded && notices.length > VISIBLE_NOTICES;
  return (
    <NoticeStack
      notices={notices}
      expanded={open}
      setExpanded={setExpanded}
      setHeld={setHeld}
      label={label}
      className={className}
    />
  );
}

/** The toasts of the app, fed by the store: news in one place, problems in another. */
export function Notices() {
  const notices = useApp((s) => s.notices);
  const news = notices.filter((n) => n.level === 'info');
  const problems = notices.filter((n) => n.level !== 'info');
  return (
    <>
      <Stack notices={news} label="News" className="toasts news" />
      <Stack notices={problems} label="Notifications" className="toasts" />
    </>
  );
}

/** The top bar's "Problems (N)": the errors whose toasts went, listed with their times until cleared. */
export function ProblemsButton() {
  const problems = useApp((s) => s.problems);
  const [open, setOpen] = useState(false);
  if (problems.length === 0 && !open) return null;
  return (
    <>
      <button type="button" className="problems-button" onClick={() => setOpen(true)}>
        Problems <span className="chip-count">{problems.length}</span>
      </button>
      <Dialog
        open={open}
        title="Problems"
        onClose={() => setOpen(false)}
        footer={
          <>
            <button type="button" onClick={() => actions().clearProblems()} disabled={problems.length === 0}>
              Clear all
            </button>
            <button type="button" className="primary" onClick={() => setOpen(false)}>
              Close
            </button>
          </>
        }
      >
        {problems.length === 0 ? (
          <p className="muted">No problems left.</p>
        ) : (
          <ul className="problem-list">
            {[...problems].reverse().map((p) => (
              <li key={p.id}>
                <span>
                  {p.message}
                  {p.count > 1 ? ` (${p.count} times)` : ''}
                </span>
                <span className="small muted">{formatDateTime(p.at)}</span>
              </li>
            ))}
          </ul>
        )}
      </Dialog>
    </>
  );
}

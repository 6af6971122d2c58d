/** Toast messages from the engine and the app; info ones fade after a few seconds, errors stay until closed. */
import { useEffect } from 'react';
import { actions, useApp } from '../store/index.ts';
import type { NoticeView } from '../store/notices-slice.ts';

function Toast({ notice }: { notice: NoticeView }) {
  useEffect(() => {
    if (notice.level === 'error') return undefined;
    const timer = setTimeout(() => actions().dismissNotice(notice.id), 8000);
    return () => clearTimeout(timer);
  }, [notice.id, notice.level]);
  return (
    <div className={`toast ${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'}>
      <p>{notice.message}</p>
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

/** The stack of toasts, bottom right. */
export function Notices() {
  const notices = useApp((s) => s.notices);
  return (
    <div className="toasts" aria-live="polite">
      {notices.map((n) => (
        <Toast key={n.id} notice={n} />
      ))}
    </div>
  );
}

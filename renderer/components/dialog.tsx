/**
 * A modal dialog on the native <dialog> element: focus stays inside, Escape closes, and the content stays
 * mounted while it is open, so typed input survives errors and re-renders.
 */
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Width override for wide content. */
  wide?: boolean;
  /** Opens over another dialog: no second backdrop darkening the first one's. */
  stacked?: boolean;
  /**
   * The body may scroll in a short window with nothing focusable in it (facts, a picture): it takes the focus
   * itself, so the keyboard can scroll it.
   */
  focusableBody?: boolean;
}

/** A titled modal with a body and an optional footer of actions. */
export function Dialog({
  open,
  title,
  onClose,
  children,
  footer,
  wide,
  stacked,
  focusableBody,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={stacked ? 'stacked' : undefined}
      style={wide ? { width: 'min(820px, calc(100vw - 32px))' } : undefined}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <div className="dlg-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="ghost" onClick={onClose} aria-label="Close">
              ✕
            </button>
          </div>
          <div
            className="dlg-body"
            {...(focusableBody ? { tabIndex: 0, role: 'region', 'aria-labelledby': titleId } : {})}
          >
            {children}
          </div>
          {footer && <div className="dlg-foot">{footer}</div>}
        </>
      )}
    </dialog>
  );
}

/** The designed looks of empty, loading and failed panels. */
import type { ReactNode } from 'react';

/** Nothing here yet: a title, a sentence and an optional action. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="panel-state" role="status">
      <p className="title">{title}</p>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

/** Waiting for the engine. */
export function LoadingState({ label }: { label: string }) {
  return (
    <div className="panel-state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <p>{label}</p>
    </div>
  );
}

/** The engine refused or failed: its message and a way to try again. */
export function ErrorState({
  title,
  message,
  onRetry,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
}) {
  return (
    <div className="panel-state error" role="alert">
      <p className="title">{title}</p>
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

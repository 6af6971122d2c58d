/**
 * Picks one folder through the host's folder browser (the browser host has no native dialog): folders open with a
 * click, and "Choose this folder" returns the one open. Used for the download folder.
 */
import { useEffect, useState } from 'react';
import type { BrowseListing } from '../../common/api.ts';
import { Dialog } from '../components/dialog.tsx';
import { ErrorState, LoadingState } from '../components/panel-state.tsx';
import { errorMessage } from '../format.ts';
import { actions } from '../store/index.ts';
import './folder-picker.css';

export function FolderPickerDialog({
  open,
  title,
  onPick,
  onClose,
}: {
  open: boolean;
  title: string;
  onPick: (path: string) => void;
  onClose: () => void;
}) {
  const [listing, setListing] = useState<BrowseListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (path: string | null): void => {
    setError(null);
    actions()
      .browseFolder(path)
      .then(setListing, (e: unknown) => setError(errorMessage(e)));
  };
  // The roots are listed when the dialog opens (the answer arrives later, so no state is set within the effect).
  useEffect(() => {
    if (!open) return;
    let current = true;
    actions()
      .browseFolder(null)
      .then(
        (roots) => current && setListing(roots),
        (e: unknown) => current && setError(errorMessage(e)),
      );
    return () => {
      current = false;
    };
  }, [open]);
  const folders = listing?.entries.filter((entry) => entry.isDirectory) ?? [];
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      footer={
        <>
          <span className="muted small mono" style={{ marginRight: 'auto' }}>
            {listing?.path ?? 'Allowed folders'}
          </span>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!listing?.path}
            onClick={() => listing?.path && onPick(listing.path)}
          >
            Choose this folder
          </button>
        </>
      }
    >
      {error ? (
        <ErrorState
          title="The folder did not open"
          message={error}
          onRetry={() => load(listing?.path ?? null)}
        />
      ) : !listing ? (
        <LoadingState label="Listing folders…" />
      ) : (
        <ul className="folder-picker" aria-label="Folders">
          {listing.path && (
            <li>
              <button type="button" className="ghost" onClick={() => load(listing.parent)}>
                ↑ Up
              </button>
            </li>
          )}
          {folders.length === 0 && <li className="muted small">No folders inside.</li>}
          {folders.map((entry) => (
            <li key={entry.path}>
              <button type="button" className="ghost" onClick={() => load(entry.path)}>
                {entry.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

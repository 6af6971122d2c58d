/**
 * The host's folder browser, for hosts without native dialogs (the browser served by the headless host):
 * folders open with a click, and files or folders are ticked to be added. Opened to pick a folder to watch, it
 * offers the folder you are in instead, and nothing to tick.
 */
import { useState } from 'react';
import type { BrowseEntry } from '../../common/api.ts';
import { Dialog } from '../components/dialog.tsx';
import { ErrorState, LoadingState, EmptyState } from '../components/panel-state.tsx';
import { formatBytes, plural } from '../format.ts';
import { actions, useApp } from '../store/index.ts';

/** "3 folders, 12 files (4.2 MB)": what the folder being looked at holds. */
function listingCounts(entries: readonly BrowseEntry[]): string {
  const folders = entries.filter((e) => e.isDirectory).length;
  const files = entries.filter((e) => !e.isDirectory);
  const parts = [];
  if (folders > 0) parts.push(plural(folders, 'folder'));
  if (files.length > 0)
    parts.push(`${plural(files.length, 'file')} (${formatBytes(files.reduce((n, f) => n + f.size, 0))})`);
  return parts.join(', ');
}

/** The dialog; open while the store says so. */
export function FolderBrowserDialog() {
  const browser = useApp((s) => s.browser);
  const [picked, setPicked] = useState<string[]>([]);
  const listing = browser.listing;
  const watching = browser.purpose === 'watch';
  const toggle = (path: string): void =>
    setPicked((p) => (p.includes(path) ? p.filter((x) => x !== path) : [...p, path]));
  const add = (paths: string[]): void => {
    actions().closeBrowser();
    setPicked([]);
    actions().openIntake(paths);
  };
  const watch = (folder: string): void => {
    actions().closeBrowser();
    actions().setWatchFolder(folder);
  };
  return (
    <Dialog
      open={browser.open}
      title={watching ? 'Choose a folder to watch' : 'Choose files and folders'}
      onClose={() => actions().closeBrowser()}
      wide
      stacked
      footer={
        watching ? (
          <>
            <span className="muted small" style={{ marginRight: 'auto' }}>
              {listing?.path ? 'Open folders to go deeper.' : 'Open one of the allowed folders.'}
            </span>
            <button
              type="button"
              className="primary"
              disabled={!listing?.path}
              onClick={() => watch(listing?.path as string)}
            >
              Watch this folder
            </button>
          </>
        ) : (
          <>
            <span className="muted small" style={{ marginRight: 'auto' }}>
              {picked.length
                ? `${plural(picked.length, 'item')} selected`
                : listing?.path
                  ? 'Tick files or folders, or add the folder you are in.'
                  : 'Tick folders to add, or open one to look inside.'}
            </span>
            {listing?.path && (
              <button type="button" onClick={() => add([listing.path as string])}>
                Add this folder
              </button>
            )}
            <button
              type="button"
              className="primary"
              disabled={picked.length === 0}
              onClick={() => add(picked)}
            >
              Add selected
            </button>
          </>
        )
      }
    >
      <div className="row">
        <button
          type="button"
          disabled={!listing?.path}
          onClick={() => void actions().openBrowser(listing?.parent ?? null)}
          aria-label="Up one folder"
        >
          ↑ Up
        </button>
        <span className="mono" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }} aria-live="polite">
          {listing?.path ?? 'Allowed folders'}
        </span>
      </div>
      {browser.status === 'loading' && <LoadingState label="Listing…" />}
      {browser.status === 'error' && (
        <ErrorState
          title="This folder cannot be listed"
          message={browser.error ?? ''}
          onRetry={() => void actions().openBrowser(listing?.path ?? null)}
        />
      )}
      {browser.status === 'ready' && listing && listing.entries.length === 0 && (
        <EmptyState title={listing.path ? 'This folder is empty' : 'No folders are shared with this browser'}>
          {listing.path ? undefined : 'Start the host with --root <folder> to allow a folder.'}
        </EmptyState>
      )}
      {browser.status === 'ready' && listing && listing.entries.length > 0 && (
        <div className="row small browser-summary">
          <label className="inline">
            <input
              type="checkbox"
              checked={listing.entries.every((e) => picked.includes(e.path))}
              ref={(box) => {
                if (box)
                  box.indeterminate =
                    picked.some((p) => listing.entries.some((e) => e.path === p)) &&
                    !listing.entries.every((e) => picked.includes(e.path));
              }}
              onChange={(e) => {
                const here = listing.entries.map((entry) => entry.path);
                setPicked((p) =>
                  e.target.checked
                    ? [...p, ...here.filter((x) => !p.includes(x))]
                    : p.filter((x) => !here.includes(x)),
                );
              }}
            />
            Select all
          </label>
          <span className="muted" data-testid="browser-counts">
            {listingCounts(listing.entries)}
          </span>
        </div>
      )}
      {browser.status === 'ready' && listing && listing.entries.length > 0 && (
        <ul className="browser-list" aria-label="Folder contents">
          {listing.entries.map((entry) => (
            <li key={entry.path}>
              {!watching && (
                <input
                  type="checkbox"
                  checked={picked.includes(entry.path)}
                  onChange={() => toggle(entry.path)}
                  aria-label={`Select ${entry.name}`}
                />
              )}
              {entry.isDirectory ? (
                <button
                  type="button"
                  className="entry"
                  onClick={() => void actions().openBrowser(entry.path)}
                >
                  <span className="folder-icon" aria-hidden="true" /> {entry.name}
                </button>
              ) : (
                <span className="entry" style={{ flex: 1, padding: '2px 4px' }}>
                  {entry.name}
                </span>
              )}
              <span className="small muted num">
                {entry.isDirectory
                  ? typeof entry.items === 'number'
                    ? `Folder · ${plural(entry.items, 'item')}`
                    : 'Folder'
                  : formatBytes(entry.size)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

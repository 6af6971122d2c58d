/**
 * Watched folders on the batch screen: the folders whose new files come into this batch (with their state and
 * counts, and "Stop watching"), and "Watch a folder…" with its dialog: the folder (chosen natively, in the host's
 * folder browser, or typed), how long a file must stand still, re-uploads of changed files, and polling.
 */
import { useEffect, useState } from 'react';
import type { BatchView, WatchedFolderView } from '../../common/api.ts';
import { Dialog } from '../components/dialog.tsx';
import { EmptyState, ErrorState, LoadingState } from '../components/panel-state.tsx';
import { errorMessage, plural } from '../format.ts';
import { actions, useApp } from '../store/index.ts';

const STATUS_LABELS: Record<WatchedFolderView['status'], { text: string; badge: string }> = {
  watching: { text: 'Watching', badge: 'badge active' },
  waiting: { text: 'Waiting', badge: 'badge paused' },
  error: { text: 'Cannot watch', badge: 'badge failed' },
};

/** True when the watch sends its files to this batch (a watch made with a new batch's name finds it by name). */
export function watchesInto(watch: WatchedFolderView, batch: Pick<BatchView, 'id' | 'name'>): boolean {
  return watch.batchId === batch.id || (watch.batchId === null && watch.newBatchName === batch.name);
}

/** What the watch has done, in one line. */
export function watchCounts(watch: WatchedFolderView): string {
  const parts = [`${plural(watch.filesQueued, 'file')} queued`];
  if (watch.filesSettling > 0) parts.push(`${plural(watch.filesSettling, 'file')} being written`);
  if (watch.changedAfterUpload > 0) {
    parts.push(`${plural(watch.changedAfterUpload, 'file')} changed after upload, not sent again`);
  }
  return parts.join(' · ');
}

function WatchRow({ watch }: { watch: WatchedFolderView }) {
  const [stopping, setStopping] = useState(false);
  const status = STATUS_LABELS[watch.status];
  return (
    <li className="card row wrap" aria-label={watch.folder}>
      <div className="stack" style={{ flex: 1, minWidth: 220, gap: 4 }}>
        <div className="row wrap" style={{ gap: 8 }}>
          <span className="mono" style={{ overflowWrap: 'anywhere' }}>
            {watch.folder}
          </span>
          <span className={status.badge}>{status.text}</span>
        </div>
        {watch.message && (
          <p className={watch.status === 'error' ? 'inline-result error' : 'small muted'}>{watch.message}</p>
        )}
        <p className="small muted">
          {watchCounts(watch)} · complete after {watch.settleSeconds} s unchanged
          {watch.reupload ? ' · changed files sent again' : ''}
          {watch.polling ? ' · polling' : ''}
        </p>
      </div>
      <button
        type="button"
        disabled={stopping}
        aria-label={`Stop watching ${watch.folder}`}
        onClick={() => {
          setStopping(true);
          void actions()
            .stopWatching(watch.id)
            .finally(() => setStopping(false));
        }}
      >
        {stopping ? 'Stopping…' : 'Stop watching'}
      </button>
    </li>
  );
}

/** The dialog; open while the store holds a watch dialog for this batch. */
function WatchFolderDialog({ batch }: { batch: BatchView }) {
  const dialog = useApp((s) => (s.watchDialog?.batchId === batch.id ? s.watchDialog : null));
  const native = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  const [settle, setSettle] = useState('5');
  const [reupload, setReupload] = useState(false);
  const [polling, setPolling] = useState(false);
  // A problem is about the folder it was found with: choosing or typing another one puts it away.
  const [error, setError] = useState<{ folder: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const folder = dialog?.folder ?? '';
  const shownError = error && error.folder === folder ? error.message : null;
  const settleSeconds = Number(settle);
  const settleProblem =
    settle.trim() === '' || !Number.isFinite(settleSeconds) || settleSeconds < 0.1 || settleSeconds > 3600
      ? 'Seconds unchanged must be 0.1–3,600.'
      : null;
  const close = (): void => {
    setError(null);
    actions().closeWatchDialog();
  };
  const start = async (): Promise<void> => {
    if (!dialog) return;
    if (!dialog.folder.trim()) {
      setError({ folder: dialog.folder, message: 'Choose the folder to watch.' });
      return;
    }
    if (settleProblem) return;
    setBusy(true);
    setError(null);
    try {
      await actions().watchFolder({
        folder: dialog.folder.trim(),
        target: { workflowId: dialog.workflowId, batchId: dialog.batchId },
        settleSeconds,
        reupload,
        polling,
      });
    } catch (e) {
      setError({ folder: dialog.folder, message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={dialog !== null}
      title="Watch this folder"
      onClose={close}
      footer={
        <>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || settleProblem !== null}
            onClick={() => void start()}
          >
            {busy ? 'Starting…' : 'Start watching'}
          </button>
        </>
      }
    >
      <p className="small muted">
        Every file that appears in the folder or its subfolders goes to “{batch.name}” once it is complete,
        also after a restart.
      </p>
      <label>
        Folder
        <span className="row">
          <input
            type="text"
            className="mono"
            style={{ flex: 1 }}
            value={folder}
            placeholder={native ? 'Choose a folder' : '/path/on/the/host'}
            onChange={(e) => actions().setWatchFolder(e.target.value)}
          />
          <button type="button" onClick={() => void actions().chooseWatchFolder()}>
            Choose…
          </button>
        </span>
      </label>
      <label>
        Seconds unchanged before a file counts as complete
        <input
          type="number"
          inputMode="decimal"
          min={0.1}
          max={3600}
          step="any"
          value={settle}
          aria-invalid={settleProblem !== null}
          aria-describedby={settleProblem ? 'watch-settle-problem' : undefined}
          onChange={(e) => setSettle(e.target.value)}
        />
        {settleProblem && (
          <span className="field-problem" id="watch-settle-problem">
            {settleProblem}
          </span>
        )}
      </label>
      <label className="switch">
        <input type="checkbox" checked={reupload} onChange={(e) => setReupload(e.target.checked)} />
        Send a file again when it changes after its upload
      </label>
      <label className="switch">
        <input type="checkbox" checked={polling} onChange={(e) => setPolling(e.target.checked)} />
        Check by polling (for network drives)
      </label>
      {shownError && (
        <p className="inline-result error" role="alert">
          {shownError}
        </p>
      )}
    </Dialog>
  );
}

/** The batch screen's "Watched folders" section. */
export function WatchedFoldersSection({ workflowId, batch }: { workflowId: string; batch: BatchView }) {
  const allWatches = useApp((s) => s.watches);
  const status = useApp((s) => s.watchesStatus);
  const error = useApp((s) => s.watchesError);
  useEffect(() => {
    void actions().loadWatches();
  }, []);
  const watches = allWatches.filter((w) => w.workflowId === workflowId && watchesInto(w, batch));
  let body;
  if (status === 'error') {
    body = (
      <ErrorState
        title="Watched folders did not load"
        message={error ?? ''}
        onRetry={() => void actions().loadWatches()}
      />
    );
  } else if (status !== 'ready' && watches.length === 0) {
    body = <LoadingState label="Loading watched folders…" />;
  } else if (watches.length === 0) {
    body = (
      <EmptyState title="No folder is watched for this batch">
        Watch a folder to upload every file that lands in it, without adding it by hand.
      </EmptyState>
    );
  } else {
    body = (
      <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Watched folders">
        {watches.map((w) => (
          <WatchRow key={w.id} watch={w} />
        ))}
      </ul>
    );
  }
  return (
    <section className="stack" aria-labelledby="watched-title">
      <div className="row">
        <h2 id="watched-title" style={{ flex: 1 }}>
          Watched folders
        </h2>
        <button type="button" onClick={() => actions().openWatchDialog(workflowId, batch.id)}>
          Watch a folder…
        </button>
      </div>
      {body}
      <WatchFolderDialog batch={batch} />
    </section>
  );
}

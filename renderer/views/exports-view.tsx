/** Exports: create one, follow the history (status, progress, size, show in folder, retry), auto-sync per batch. */
import type { ExportJobStatus, ExportJobView } from '../../common/api.ts';
import { ProgressBar } from '../components/progress-bar.tsx';
import { EmptyState, ErrorState, LoadingState } from '../components/panel-state.tsx';
import { formatBytes, formatDateTime, formatDuration, formatSpeed, plural, ratio } from '../format.ts';
import { exportScopeLabel } from '../store/exports-slice.ts';
import { actions, useApp } from '../store/index.ts';
import { ExportDownloads } from './export-downloads.tsx';
import { ExportForm } from './export-form.tsx';

const STATUS_LABELS: Record<ExportJobStatus, string> = {
  creating: 'Requesting',
  generating: 'Platform preparing',
  downloading: 'Downloading',
  extracting: 'Extracting',
  done: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};
const IN_FLIGHT: ExportJobStatus[] = ['creating', 'generating', 'downloading', 'extracting'];

function JobRow({ job }: { job: ExportJobView }) {
  const inFlight = IN_FLIGHT.includes(job.status);
  const badge =
    job.status === 'done'
      ? 'badge done'
      : job.status === 'failed'
        ? 'badge failed'
        : inFlight
          ? 'badge active'
          : 'badge';
  const scope = useApp((s) => exportScopeLabel(s.workflows, s.batches, job));
  return (
    <tr data-testid="export-row" data-status={job.status}>
      <td className="export-file">
        <div className="export-name">{job.filename}</div>
        <div className="small muted" data-testid="export-scope">
          {scope}
        </div>
        {job.error && (
          <div className="small" style={{ color: 'var(--danger)' }}>
            {job.error}
          </div>
        )}
        {job.extractedTo && <div className="small muted">Extracted to {job.extractedTo}</div>}
      </td>
      <td>
        <span className={badge}>{STATUS_LABELS[job.status]}</span>
      </td>
      <td style={{ minWidth: 160 }}>
        {job.status === 'downloading' ? (
          <div className="stack" style={{ gap: 2 }}>
            <ProgressBar value={ratio(job.bytes, job.totalBytes ?? 0)} label={`${job.filename} download`} />
            <span className="small muted num">
              {formatSpeed(job.throughput)} · {formatDuration(job.etaSeconds)} left
            </span>
          </div>
        ) : inFlight ? (
          <span className="small muted">In progress…</span>
        ) : job.recordResultCount !== null ? (
          <span className="small muted num">{plural(job.recordResultCount, 'result')}</span>
        ) : null}
      </td>
      <td className="num">
        {job.totalBytes !== null || job.bytes > 0 ? formatBytes(job.totalBytes ?? job.bytes) : '—'}
      </td>
      <td className="num">{formatDateTime(job.createdAt)}</td>
      <td>
        <div className="export-actions">
          {job.status === 'done' && job.path && <ExportDownloads job={{ ...job, path: job.path }} />}
          {(job.status === 'failed' || job.status === 'canceled') && (
            <button type="button" className="small" onClick={() => void actions().retryExport(job.id)}>
              Retry
            </button>
          )}
          {inFlight && (
            <button
              type="button"
              className="small ghost danger"
              onClick={() => void actions().cancelExport(job.id)}
            >
              Cancel
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function History() {
  const jobs = useApp((s) => s.exportJobs);
  const status = useApp((s) => s.exportsStatus);
  const error = useApp((s) => s.exportsError);
  if (status === 'loading' && jobs.length === 0) return <LoadingState label="Loading export history…" />;
  if (status === 'error')
    return (
      <ErrorState
        title="Export history did not load"
        message={error ?? ''}
        onRetry={() => void actions().loadExports()}
      />
    );
  if (jobs.length === 0)
    return (
      <EmptyState title="No exports yet">Start one above; it appears here with its progress.</EmptyState>
    );
  return (
    <table aria-label="Export history">
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Status</th>
          <th scope="col">Progress</th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col" className="num">
            Started
          </th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} />
        ))}
      </tbody>
    </table>
  );
}

function AutoSyncList() {
  const workflows = useApp((s) => s.workflows);
  const batches = useApp((s) => s.batches);
  const autoSync = useApp((s) => s.autoSync);
  const minutes = useApp((s) => s.settings?.autoSyncMinutes ?? 0);
  const all = workflows.flatMap((w) => (batches[w.id] ?? []).map((b) => ({ workflow: w, batch: b })));
  if (all.length === 0)
    return <EmptyState title="No batches">Batches appear here once a workflow has one.</EmptyState>;
  return (
    <ul className="profile-list" aria-label="Auto-sync per batch">
      {all.map(({ workflow, batch }) => {
        const on = autoSync.some((a) => a.batchId === batch.id && a.enabled);
        return (
          <li key={batch.id}>
            <label className="switch" style={{ flex: 1 }}>
              <input
                type="checkbox"
                role="switch"
                checked={on}
                onChange={(e) =>
                  void actions().setAutoSync({
                    workflowId: workflow.id,
                    batchId: batch.id,
                    enabled: e.target.checked,
                  })
                }
              />
              <span>
                {batch.name} <span className="muted small">· {workflow.name}</span>
              </span>
            </label>
          </li>
        );
      })}
      <li className="small muted" style={{ border: 'none' }}>
        A synced batch gets a “new since last export” download at most every {minutes} minutes.
      </li>
    </ul>
  );
}

/** The exports screen. */
export function ExportsView() {
  return (
    <>
      <div className="view-head">
        <h1>Exports</h1>
      </div>
      <ExportForm />
      <section className="card stack" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <History />
      </section>
      <section className="card stack" aria-labelledby="sync-title">
        <h2 id="sync-title">Auto-sync</h2>
        <AutoSyncList />
      </section>
    </>
  );
}

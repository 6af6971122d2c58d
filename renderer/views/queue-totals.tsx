/** The queue's totals bar and its offline, blocked and paused banners. */
import type { QueueTotals } from '../../common/api.ts';
import { ProgressBar } from '../components/progress-bar.tsx';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatSpeed,
  plural,
  ratio,
} from '../format.ts';
import { reasonText } from '../reason-text.ts';
import { actions, useApp } from '../store/index.ts';
import { countedFiles, pendingCount } from '../store/selectors.ts';

/** The banner for an offline, blocked or paused queue; nothing when it runs. */
export function QueueBanner() {
  const totals = useApp((s) => s.totals);
  if (!totals) return null;
  if (totals.mode === 'offline') {
    return (
      <div className="banner warning" role="status" data-testid="offline-banner">
        <strong>Offline:</strong> {plural(pendingCount(totals), 'upload')} waiting; they resume by themselves.
      </div>
    );
  }
  if (totals.mode === 'blocked') {
    return (
      <div className="banner error" role="alert" data-testid="blocked-banner">
        <strong>Uploads stopped.</strong>{' '}
        {totals.message ? reasonText(totals.message) : 'The platform refused the uploads.'}
        <span className="spacer" />
        <button type="button" onClick={() => actions().navigate({ name: 'profiles' })}>
          Check the profile
        </button>
        {/* Once the cause is fixed (a key restored on the platform, say), the same queue carries on. */}
        <button type="button" className="primary" onClick={() => void actions().queueCommand('resume')}>
          Try again
        </button>
      </div>
    );
  }
  if (totals.mode === 'paused') {
    return (
      <div className="banner info" role="status">
        <strong>Paused.</strong> {totals.message ?? 'Nothing uploads until you resume.'}
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => void actions().queueCommand('resume')}>
          Resume all
        </button>
      </div>
    );
  }
  return null;
}

/** What the "Time left" card says under its value. */
function timeLeftNote(mode: QueueTotals['mode'], pending: number): string {
  if (pending === 0) return 'Nothing left to send';
  if (mode === 'running') return `for ${plural(pending, 'file')}`;
  return mode === 'paused' ? 'Paused' : 'Waiting to resume';
}

/** Files and bytes done out of total, throughput, ETA. */
export function QueueTotalsBar() {
  const totals = useApp((s) => s.totals);
  if (!totals) return null;
  const files = totals.files;
  const finished = files.done;
  const counted = countedFiles(totals);
  // A paused, offline, blocked or finished queue moves nothing: a decaying speed and an ETA would only mislead.
  const moving = totals.mode === 'running' && files.active > 0;
  const held = totals.mode !== 'running' && files.active > 0;
  return (
    <section className="totals" aria-label="Queue totals" data-testid="queue-totals">
      <div className="stat">
        <div className="label">Files uploaded</div>
        <div className="value" data-testid="files-done">
          {formatCount(finished)} <span className="muted small">of {formatCount(counted)}</span>
        </div>
        <ProgressBar value={ratio(finished, counted)} label="Files uploaded" />
        <div className={files.failed > 0 ? 'sub failed-count' : 'sub'}>
          {files.failed > 0 ? `${formatCount(files.failed)} failed` : 'No failures'}
        </div>
      </div>
      <div className="stat">
        <div className="label">Data sent</div>
        <div className="value">
          {formatBytes(totals.bytes.done)}{' '}
          <span className="muted small">of {formatBytes(totals.bytes.total)}</span>
        </div>
        <div className="sub">{formatPercent(totals.bytes.done, totals.bytes.total)}</div>
      </div>
      <div className="stat">
        <div className="label">Throughput</div>
        <div className="value">{moving ? formatSpeed(totals.throughput) : '—'}</div>
        <div className="sub">
          {held ? `${plural(files.active, 'upload')} on hold` : plural(files.active, 'active upload')}
        </div>
      </div>
      <div className="stat">
        <div className="label">Time left</div>
        <div className="value">{moving ? formatDuration(totals.etaSeconds) : '—'}</div>
        <div className="sub">{timeLeftNote(totals.mode, files.active + files.waiting)}</div>
      </div>
    </section>
  );
}

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
    // One sentence, and no button of its own: "Resume all" sits where "Pause all" was.
    const waiting = totals.files.paused;
    return (
      <div className="banner info" role="status" data-testid="paused-banner">
        <strong>Paused.</strong>{' '}
        {waiting > 0
          ? `${plural(waiting, 'file')} ${waiting === 1 ? 'waits' : 'wait'} until you resume.`
          : 'Nothing uploads until you resume.'}
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

/** Time left: the engine gives none until enough has been sent to tell. */
function timeLeft(totals: QueueTotals, moving: boolean): string {
  if (!moving) return '—';
  return totals.etaSeconds === null ? 'Estimating…' : formatDuration(totals.etaSeconds);
}

/** Files and bytes done out of total, throughput, ETA: of the current work (what was added since all was done). */
export function QueueTotalsBar() {
  const totals = useApp((s) => s.totals);
  if (!totals) return null;
  const work = totals.work ?? totals;
  const files = work.files;
  const finished = files.done;
  const counted = countedFiles(work);
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
          {formatBytes(work.bytes.done)}{' '}
          <span className="muted small">of {formatBytes(work.bytes.total)}</span>
        </div>
        <div className="sub">{formatPercent(work.bytes.done, work.bytes.total)}</div>
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
        <div className="value" data-testid="time-left">
          {timeLeft(totals, moving)}
        </div>
        <div className="sub">
          {/* Paused as a whole, the waiting files count as paused: they are still left to send. */}
          {timeLeftNote(
            totals.mode,
            files.active + files.waiting + (totals.mode === 'paused' ? files.paused : 0),
          )}
        </div>
      </div>
    </section>
  );
}

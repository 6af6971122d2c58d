/**
 * How the `upload` command shows a run: progress bars on a terminal (cli-progress), a summary line every few
 * seconds otherwise, or NDJSON events with `--json`. Every form ends with the summary: done, skipped, failed with
 * reasons. Nothing printed carries a secret (signed URLs never reach this layer).
 */
import { SingleBar } from 'cli-progress';
import type { Notice, ProgressSnapshot, QueueItemView, QueueTotals } from '../../common/api.ts';
import { jsonText, terminalSafe, writeLine, writeLines } from './terminal-text.ts';
import type { SkippedFile } from '../uploads/index.ts';
import { formatBytes } from '../../common/byte-size.ts';

/** The end of a run, as the summary reports it. */
export interface UploadSummary {
  done: number;
  skipped: number;
  failed: number;
  canceled: number;
  /** Left waiting (the queue was blocked or interrupted). */
  pending: number;
  walkSkipped: number;
  /** Paths the walk could not read, or given paths that do not exist: the command fails for them. */
  walkProblems: number;
  bytes: number;
  seconds: number;
  failures: { name: string; reason: string }[];
  skips: { name: string; reason: string }[];
  batchId: string | null;
  message: string | null;
}

export interface UploadReporter {
  started(info: { runId: number; resumed: boolean; stateDir: string }): void;
  queued(info: { queued: number; existing: number; alreadyUploaded: number; otherShards?: number }): void;
  skippedByWalk(skipped: SkippedFile): void;
  progress(snapshot: ProgressSnapshot): void;
  settled(items: readonly QueueItemView[]): void;
  notice(notice: Notice): void;
  summary(summary: UploadSummary): void;
  stop(): void;
}

function progressLine(totals: QueueTotals): string {
  const f = totals.files;
  const finished = f.done + f.failed + f.skipped + f.canceled;
  const eta = totals.etaSeconds === null ? '' : `, ETA ${totals.etaSeconds} s`;
  const mode = totals.mode === 'running' ? '' : ` [${totals.message ?? totals.mode}]`;
  return `${finished}/${f.total} files (${f.done} done, ${f.failed} failed), ${formatBytes(totals.bytes.done)} of ${formatBytes(totals.bytes.total)}, ${formatBytes(totals.throughput)}/s${eta}${mode}`;
}

/** Walk skips listed with the summary on a terminal; a pipe or log gets every one as it happens. */
const LISTED_WALK_SKIPS = 50;

/** True when a walk skip means something asked for was not read (missing, vanished, unreadable), not a choice. */
export function isWalkProblem(skipped: SkippedFile): boolean {
  return /^(not found|vanished|unreadable)\b/.test(skipped.reason);
}

function skipLine(skipped: SkippedFile): string {
  return `skipped ${skipped.path}: ${skipped.reason}`;
}

function summaryLines(s: UploadSummary, walkSkips: readonly SkippedFile[] = []): string[] {
  const lines = [
    `${s.done} done, ${s.skipped + s.walkSkipped} skipped, ${s.failed} failed${s.canceled ? `, ${s.canceled} canceled` : ''}${s.pending ? `, ${s.pending} still queued` : ''} (${formatBytes(s.bytes)} in ${s.seconds.toFixed(1)} s)${s.batchId ? ` into batch ${s.batchId}` : ''}`,
  ];
  for (const skip of walkSkips.slice(0, LISTED_WALK_SKIPS)) lines.push(`  ${skipLine(skip)}`);
  if (walkSkips.length > LISTED_WALK_SKIPS)
    lines.push(
      `  … and ${walkSkips.length - LISTED_WALK_SKIPS} more left out by the walk (--json lists them all)`,
    );
  for (const skip of s.skips) lines.push(`  skipped ${skip.name}: ${skip.reason}`);
  for (const failure of s.failures) lines.push(`  failed  ${failure.name}: ${failure.reason}`);
  if (s.failed > s.failures.length) lines.push(`  … and ${s.failed - s.failures.length} more failures`);
  if (s.message) lines.push(`queue stopped: ${s.message}`);
  return lines;
}

/** What an offline wait tells a person at a terminal: how to stop, and how to go on later. */
const OFFLINE_HINT = 'Ctrl+C stops; run the same command again to resume';

/** A line when the queue goes offline (once per outage), so a log shows the wait and what to do about it. */
function offlineWatcher(write: (line: string) => void): (totals: QueueTotals) => void {
  let offline = false;
  return (totals) => {
    const now = totals.mode === 'offline';
    if (now && !offline) write(`${totals.message ?? 'offline'} (${OFFLINE_HINT})`);
    offline = now;
  };
}

/** NDJSON: one JSON object per line, each with an `event` field. */
export function jsonReporter(out: NodeJS.WritableStream): UploadReporter {
  const write = (event: string, body: object): void => {
    out.write(`${jsonText({ event, ...body })}\n`);
  };
  let lastProgress = 0;
  return {
    started: (info) => write('started', info),
    queued: (info) => write('queued', info),
    skippedByWalk: (skipped) => write('skipped', skipped),
    progress(snapshot) {
      // Twice a second is plenty for a pipe; the service itself coalesces to 10 Hz.
      if (snapshot.at - lastProgress < 500) return;
      lastProgress = snapshot.at;
      write('progress', { totals: snapshot.totals, active: snapshot.active.length });
    },
    settled(items) {
      for (const item of items) {
        write('item', {
          id: item.id,
          name: item.name,
          path: item.path,
          state: item.state,
          error: item.error,
          assetId: item.assetId,
          recordId: item.recordId,
        });
      }
    },
    notice: (notice) => write('notice', notice),
    summary: (summary) => write('summary', summary),
    stop() {},
  };
}

/** Plain lines for logs and pipes: what happened, and the totals every few seconds. */
export function lineReporter(out: NodeJS.WritableStream, intervalMs = 5000): UploadReporter {
  let last = 0;
  const line = (text: string): void => writeLine(out, text);
  const watchOffline = offlineWatcher(line);
  return {
    started: (info) => {
      if (info.resumed) line(`resuming the unfinished upload (state in ${info.stateDir})`);
    },
    queued: (info) =>
      line(
        `queued ${info.queued} files${info.existing ? `, ${info.existing} already in the queue` : ''}${info.alreadyUploaded ? `, ${info.alreadyUploaded} already uploaded` : ''}${info.otherShards ? `, ${info.otherShards} left to other shards` : ''}`,
      ),
    skippedByWalk: (skipped) => line(skipLine(skipped)),
    progress(snapshot) {
      watchOffline(snapshot.totals);
      // Nothing before anything is queued (a "0/0 files" line says nothing), then every few seconds.
      if (snapshot.totals.files.total === 0 || snapshot.at - last < intervalMs) return;
      last = snapshot.at;
      line(progressLine(snapshot.totals));
    },
    settled() {},
    notice: (notice) => line(`${notice.level}: ${notice.message}`),
    summary: (summary) => writeLines(out, summaryLines(summary)),
    stop() {},
  };
}

/** A progress bar on a terminal (on stderr), then the summary on `out`. */
export function barReporter(out: NodeJS.WritableStream, err: NodeJS.WriteStream): UploadReporter {
  const bar = new SingleBar(
    {
      stream: err,
      format: ' {bar} {percentage}% | {files} | {speed}/s | ETA {eta_formatted} {mode}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    { barCompleteChar: '█', barIncompleteChar: '░', format: '' },
  );
  let started = false;
  const walkSkips: SkippedFile[] = [];
  const stopBar = (): void => {
    if (started) bar.stop();
    started = false;
  };
  // Off the bar's line first: the bar redraws itself below on its next update.
  const aside = (text: string): void => {
    if (started) err.write('\n');
    writeLine(err, text);
  };
  const watchOffline = offlineWatcher(aside);
  return {
    started: (info) => {
      if (info.resumed) writeLine(err, `resuming the unfinished upload (state in ${info.stateDir})`);
    },
    queued() {},
    skippedByWalk: (skipped) => {
      walkSkips.push(skipped);
    },
    progress(snapshot) {
      const t = snapshot.totals;
      const f = t.files;
      watchOffline(t);
      // No bar before anything is queued: an empty "0/0 files" bar says nothing.
      if (!started && f.total === 0) return;
      const payload = {
        files: `${f.done + f.failed + f.skipped + f.canceled}/${f.total} files`,
        speed: formatBytes(t.throughput),
        mode: t.mode === 'running' ? '' : terminalSafe(`[${t.message ?? t.mode}]`),
      };
      if (!started) {
        bar.start(Math.max(1, t.bytes.total), t.bytes.done, payload);
        started = true;
      }
      bar.setTotal(Math.max(1, t.bytes.total));
      bar.update(t.bytes.done, payload);
    },
    settled() {},
    notice(notice) {
      if (notice.level !== 'info') aside(`${notice.level}: ${notice.message}`);
    },
    summary(summary) {
      stopBar();
      writeLines(out, summaryLines(summary, walkSkips));
    },
    stop: stopBar,
  };
}

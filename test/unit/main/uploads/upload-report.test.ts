import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ProgressSnapshot, QueueTotals } from '../../../../common/api.ts';
import { lineReporter } from '../../../../main/uploads/upload-report.ts';

function snapshot(at: number, total: number, done: number, bytesTotal: number): ProgressSnapshot {
  const totals: QueueTotals = {
    files: { waiting: total - done, active: 0, done, failed: 0, paused: 0, canceled: 0, skipped: 0, total },
    bytes: { total: bytesTotal, done: 0 },
    throughput: 0,
    etaSeconds: bytesTotal === 0 ? 0 : null,
    mode: 'running',
    message: null,
  };
  return { totals, active: [], at };
}

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out, text: () => text };
}

describe('upload line reporter', () => {
  it('prints no progress line before anything is queued, then one every interval', () => {
    const { out, text } = capture();
    const reporter = lineReporter(out, 5000);
    reporter.started({ runId: 1, resumed: false, stateDir: '/s' });
    reporter.progress(snapshot(10_000, 0, 0, 0));
    reporter.progress(snapshot(20_000, 0, 0, 0));
    expect(text()).toBe('');
    reporter.queued({ queued: 3, existing: 0, alreadyUploaded: 0 });
    reporter.progress(snapshot(21_000, 3, 0, 3000));
    reporter.progress(snapshot(22_000, 3, 1, 3000));
    reporter.progress(snapshot(27_000, 3, 2, 3000));
    expect(text().split('\n').filter(Boolean)).toEqual([
      'queued 3 files',
      '0/3 files (0 done, 0 failed), 0 B of 3.0 KB, 0 B/s',
      '2/3 files (2 done, 0 failed), 0 B of 3.0 KB, 0 B/s',
    ]);
  });
});

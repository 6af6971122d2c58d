import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ProgressSnapshot, QueueTotals } from '../../../../common/api.ts';
import { barReporter, lineReporter } from '../../../../main/host/upload-report.ts';
import type { UploadSummary } from '../../../../main/host/upload-report.ts';

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
      '0/3 files (0 done, 0 failed), 0 B of 3.00 KB, 0 B/s',
      '2/3 files (2 done, 0 failed), 0 B of 3.00 KB, 0 B/s',
    ]);
  });
});

function summary(overrides: Partial<UploadSummary>): UploadSummary {
  return {
    done: 0,
    skipped: 0,
    failed: 0,
    canceled: 0,
    pending: 0,
    walkSkipped: 0,
    walkProblems: 0,
    bytes: 0,
    seconds: 1,
    failures: [],
    skips: [],
    batchId: null,
    message: null,
    ...overrides,
  };
}

const HOSTILE = 'a\nfailed  forged.png\x1b[2J\u009b31m\u202egnp.exe';
/** C0 controls but the line end, DEL and C1 controls, bidi overrides and isolates. */
function hasRawControl(text: string): boolean {
  return [...text].some((char) => {
    const code = char.codePointAt(0) as number;
    return (
      (code < 0x20 && code !== 0x0a) ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}

describe('upload text reporters and what the file system hands them', () => {
  it('print every walk skip with its reason, and names and reasons escaped, one line each', () => {
    const { out, text } = capture();
    const reporter = lineReporter(out);
    reporter.skippedByWalk({ path: `/in/${HOSTILE}`, reason: 'empty file' });
    reporter.skippedByWalk({ path: '/in/missing', reason: 'not found' });
    reporter.summary(
      summary({
        failed: 1,
        walkSkipped: 2,
        failures: [{ name: HOSTILE, reason: `the server said: ${HOSTILE}` }],
        message: HOSTILE,
      }),
    );
    const lines = text().split('\n');
    expect(lines.pop()).toBe('');
    expect(hasRawControl(text())).toBe(false);
    expect(lines.filter((line) => line.startsWith('  failed  '))).toHaveLength(1);
    expect(lines[0]).toBe('skipped /in/a\\nfailed  forged.png\\x1b[2J\\x9b31m\\u202egnp.exe: empty file');
    expect(lines[1]).toBe('skipped /in/missing: not found');
    expect(lines).toHaveLength(5);
  });

  it('on a terminal, list the walk skips with the summary, after the bar', () => {
    const { out, text } = capture();
    const err = capture();
    const reporter = barReporter(out, err.out as unknown as NodeJS.WriteStream);
    reporter.skippedByWalk({ path: `/in/${HOSTILE}`, reason: 'hidden file' });
    reporter.summary(summary({ walkSkipped: 1 }));
    expect(text().split('\n')).toEqual([
      '0 done, 1 skipped, 0 failed (0 B in 1.0 s)',
      '  skipped /in/a\\nfailed  forged.png\\x1b[2J\\x9b31m\\u202egnp.exe: hidden file',
      '',
    ]);
  });

  it('say once per outage how to stop and how to resume', () => {
    const { out, text } = capture();
    const reporter = lineReporter(out, 60_000);
    const at = (time: number, mode: 'running' | 'offline'): ProgressSnapshot => {
      const base = snapshot(time, 3, 0, 3000);
      const message = mode === 'offline' ? 'offline: waiting for the network to come back' : null;
      return { ...base, totals: { ...base.totals, mode, message } };
    };
    for (const [time, mode] of [
      [1, 'running'],
      [2, 'offline'],
      [3, 'offline'],
      [4, 'running'],
      [5, 'offline'],
    ] as const)
      reporter.progress(at(time, mode));
    const hint =
      'offline: waiting for the network to come back (Ctrl+C stops; run the same command again to resume)';
    expect(
      text()
        .split('\n')
        .filter((line) => line.startsWith('offline')),
    ).toEqual([hint, hint]);
  });
});

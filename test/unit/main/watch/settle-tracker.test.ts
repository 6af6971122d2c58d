import { describe, expect, it } from 'vitest';
import { createSettleTracker } from '../../../../main/watch/settle-tracker.ts';
import type { FileVersion } from '../../../../main/watch/settle-tracker.ts';

/** A fake disk and clock: files are versions by path, `locked` ones refuse to open. */
function fixture(settleMs = 1000) {
  let clock = 0;
  const files = new Map<string, FileVersion>();
  const locked = new Set<string>();
  const completed: { path: string; version: FileVersion; at: number }[] = [];
  const tracker = createSettleTracker({
    settleMs,
    stat: async (path) => files.get(path) ?? null,
    canOpen: async (path) => !locked.has(path),
    now: () => clock,
    onComplete: (path, version) => completed.push({ path, version, at: clock }),
  });
  const advance = async (ms: number, step = 250) => {
    for (let t = 0; t < ms; t += step) {
      clock += step;
      await tracker.check();
    }
  };
  return {
    tracker,
    files,
    locked,
    completed,
    advance,
    write: (path: string, size: number) => files.set(path, { size, mtimeMs: clock }),
  };
}

describe('settle tracker', () => {
  it('completes a file only after its size and mtime stood still for the settle time', async () => {
    const f = fixture(1000);
    f.write('/w/a.png', 10);
    f.tracker.observe('/w/a.png');
    await f.advance(750);
    expect(f.completed).toEqual([]);
    await f.advance(750);
    expect(f.completed).toHaveLength(1);
    expect(f.completed[0]).toMatchObject({ path: '/w/a.png', version: { size: 10, mtimeMs: 0 } });
    // Not before a whole settle time after the first look.
    expect(f.completed[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(f.tracker.waiting()).toBe(0);
  });

  it('starts the wait again whenever the file grows, and completes with the final version', async () => {
    const f = fixture(1000);
    f.write('/w/v.mp4', 1);
    f.tracker.observe('/w/v.mp4');
    for (let chunk = 2; chunk <= 6; chunk++) {
      await f.advance(500);
      f.write('/w/v.mp4', chunk); // a writer appending every 0.5 s, below the settle time
    }
    expect(f.completed).toEqual([]);
    await f.advance(1750);
    expect(f.completed.map((c) => c.version.size)).toEqual([6]);
  });

  it('notices a change the watcher did not report (same size, newer mtime)', async () => {
    const f = fixture(1000);
    f.write('/w/b.png', 5);
    f.tracker.observe('/w/b.png');
    await f.advance(750);
    f.write('/w/b.png', 5);
    await f.advance(750);
    expect(f.completed).toEqual([]);
    await f.advance(1000);
    expect(f.completed).toHaveLength(1);
  });

  it('waits while the file cannot be opened, and drops files that vanish or are forgotten', async () => {
    const f = fixture(500);
    f.write('/w/locked.png', 3);
    f.write('/w/gone.png', 3);
    f.write('/w/removed.png', 3);
    f.locked.add('/w/locked.png');
    for (const p of ['/w/locked.png', '/w/gone.png', '/w/removed.png']) f.tracker.observe(p);
    f.files.delete('/w/gone.png');
    f.tracker.forget('/w/removed.png');
    await f.advance(2000);
    expect(f.completed).toEqual([]);
    expect(f.tracker.waiting()).toBe(1);
    f.locked.delete('/w/locked.png');
    await f.advance(250);
    expect(f.completed.map((c) => c.path)).toEqual(['/w/locked.png']);
  });

  it('keeps looking after a round that found nothing to wait for', async () => {
    const f = fixture(500);
    await f.advance(500);
    f.write('/w/first.png', 1);
    f.tracker.observe('/w/first.png');
    await f.advance(1000);
    await f.advance(1000);
    f.write('/w/later.png', 1);
    f.tracker.observe('/w/later.png');
    await f.advance(1000);
    expect(f.completed.map((c) => c.path)).toEqual(['/w/first.png', '/w/later.png']);
  });

  it('observing a file again restarts its wait', async () => {
    const f = fixture(1000);
    f.write('/w/c.png', 1);
    f.tracker.observe('/w/c.png');
    await f.advance(750);
    f.tracker.observe('/w/c.png');
    await f.advance(750);
    expect(f.completed).toEqual([]);
    await f.advance(750);
    expect(f.completed).toHaveLength(1);
  });
});

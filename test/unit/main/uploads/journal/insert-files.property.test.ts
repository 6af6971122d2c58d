/**
 * Queuing files (insertFiles) against a plain model of what it must decide for each file, one file at a time: in
 * the queue already, uploaded before (same path, size and mtime in the same workflow on the same server), or new.
 * The journal decides for a whole slice at once (one lookup statement, multi-row inserts), so slices of every
 * length, repeated paths inside a slice, reruns, other servers and finished or failed entries are generated here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempJournal } from '../../../../support/temp-journal.ts';
import { insertFiles, insertSkipped, updateItem } from '../../../../../main/uploads/journal/items.ts';
import type { InsertOutcome } from '../../../../../main/uploads/journal/items.ts';
import { ensureTarget, openRun } from '../../../../../main/uploads/journal/targets.ts';
import type { TargetRow } from '../../../../../main/uploads/journal/item-types.ts';

interface ModelEntry {
  id: number;
  run: number;
  workflow: string;
  server: string;
  path: string;
  size: number;
  mtimeMs: number;
  state: string;
}

const PATHS = Array.from({ length: 40 }, (_, n) => `/data/folder ${n % 3}/é-${n}.jpg`);

const fileArb = fc.record({
  path: fc.constantFrom(...PATHS),
  size: fc.constantFrom(10, 11),
  mtimeMs: fc.constantFrom(1000, 1000.25),
});

const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    run: fc.integer({ min: 0, max: 2 }),
    target: fc.integer({ min: 0, max: 2 }),
    reupload: fc.boolean(),
    files: fc.array(fileArb, { maxLength: 150 }),
  }),
  fc.record({
    kind: fc.constant('finish' as const),
    every: fc.integer({ min: 1, max: 4 }),
    offset: fc.nat({ max: 3 }),
    state: fc.constantFrom('done', 'failed', 'canceled'),
  }),
);

/** What queuing must do, decided file by file in order, each decision seeing the ones before it. */
function modelInsert(
  entries: ModelEntry[],
  run: number,
  target: { workflow: string; server: string },
  files: readonly { path: string; size: number; mtimeMs: number }[],
  reupload: boolean,
  nextId: () => number,
): InsertOutcome {
  const outcome: InsertOutcome = { queued: 0, existing: 0, alreadyUploaded: 0 };
  for (const file of files) {
    const seen = entries
      .filter(
        (e) =>
          e.workflow === target.workflow &&
          e.server === target.server &&
          e.path === file.path &&
          !['failed', 'canceled', 'skipped'].includes(e.state),
      )
      .at(-1);
    if (seen && seen.state !== 'done') {
      outcome.existing++;
      continue;
    }
    const uploaded = seen && !reupload && seen.size === file.size && seen.mtimeMs === file.mtimeMs;
    if (entries.some((e) => e.run === run && e.path === file.path)) {
      outcome.existing++;
      continue;
    }
    const state = uploaded ? 'skipped' : 'queued';
    entries.push({ id: nextId(), run, ...target, ...file, state });
    if (uploaded) outcome.alreadyUploaded++;
    else outcome.queued++;
  }
  return outcome;
}

describe('queuing files', () => {
  const temp = useTempJournal('insert-files-');

  it('decides for each file of a slice what deciding one file at a time would, and counts what it queued', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
        const journal = temp.journal;
        journal.db.exec('DELETE FROM items; DELETE FROM item_counts;');
        const runs = [0, 1, 2].map((n) => openRun(journal, `run-${n}-${Math.random()}`).id);
        const targets: (TargetRow & { model: { workflow: string; server: string } })[] = [
          ['wf-a', ''],
          ['wf-a', 'https://other.example'],
          ['wf-b', ''],
        ].map(([workflow, server]) => ({
          ...ensureTarget(
            journal,
            workflow as string,
            { newBatchName: 'b', enabled: false },
            undefined,
            server,
          ),
          model: { workflow: workflow as string, server: server as string },
        }));
        const entries: ModelEntry[] = [];
        const lastId = (): number =>
          Number((journal.db.prepare('SELECT MAX(id) AS n FROM items').get() as { n: number | null }).n ?? 0);
        let modelId = lastId();
        for (const step of steps) {
          if (step.kind === 'finish') {
            entries.forEach((entry, index) => {
              if ((index + step.offset) % step.every !== 0) return;
              entry.state = step.state;
              updateItem(journal, entry.id, { state: step.state });
            });
            continue;
          }
          const target = targets[step.target] as (typeof targets)[number];
          const runId = runs[step.run] as number;
          const files = step.files.map((f) => ({ ...f, name: f.path.slice(6) }));
          const expected = modelInsert(entries, runId, target.model, files, step.reupload, () => ++modelId);
          expect(insertFiles(journal, runId, target, files, step.reupload)).toEqual(expected);
        }
        const rows = journal.db
          .prepare('SELECT id, run_id AS run, path, size, mtime_ms AS mtimeMs, state FROM items ORDER BY id')
          .all();
        expect(rows).toEqual(
          entries.map((e) => ({
            id: e.id,
            run: e.run,
            path: e.path,
            size: e.size,
            mtimeMs: e.mtimeMs,
            state: e.state,
          })),
        );
        const counts = journal.db
          .prepare(
            'SELECT run_id AS run, state, n, bytes FROM item_counts WHERE n > 0 ORDER BY run_id, state',
          )
          .all();
        const expectedCounts = new Map<string, { run: number; state: string; n: number; bytes: number }>();
        for (const e of entries) {
          const key = `${e.run}\u0000${e.state}`;
          const count = expectedCounts.get(key) ?? { run: e.run, state: e.state, n: 0, bytes: 0 };
          count.n++;
          count.bytes += e.size;
          expectedCounts.set(key, count);
        }
        expect(counts).toEqual(
          [...expectedCounts.values()].sort((a, b) => a.run - b.run || (a.state < b.state ? -1 : 1)),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('takes the latest entry of a path: a file sent again with reupload and not finished yet is in the queue', () => {
    const journal = temp.journal;
    const target = ensureTarget(journal, 'wf-a', { newBatchName: 'b', enabled: false });
    const file = { path: '/d/a.jpg', name: 'a.jpg', size: 10, mtimeMs: 1000 };
    const first = openRun(journal, 'first').id;
    insertFiles(journal, first, target, [file], false);
    journal.db.prepare("UPDATE items SET state = 'done' WHERE run_id = ?").run(first);
    const again = openRun(journal, 'again').id;
    expect(insertFiles(journal, again, target, [file], true).queued).toBe(1);
    const third = openRun(journal, 'third').id;
    expect(insertFiles(journal, third, target, [file, file], false)).toEqual({
      queued: 0,
      existing: 2,
      alreadyUploaded: 0,
    });
    journal.db.prepare("UPDATE items SET state = 'done' WHERE run_id = ?").run(again);
    expect(insertFiles(journal, third, target, [file, file], false)).toEqual({
      queued: 0,
      existing: 1,
      alreadyUploaded: 1,
    });
  });

  it('knows a file again on a rerun when its name holds a lone surrogate, as a Windows file name may', () => {
    const journal = temp.journal;
    const target = ensureTarget(journal, 'wf-a', { newBatchName: 'b', enabled: false });
    const file = { path: 'C:\\photos\\scan\ud800.jpg', name: 'scan\ud800.jpg', size: 10, mtimeMs: 1000 };
    const first = openRun(journal, 'first').id;
    expect(insertFiles(journal, first, target, [file], false).queued).toBe(1);
    expect(insertFiles(journal, first, target, [file], false).existing).toBe(1);
    journal.db.prepare("UPDATE items SET state = 'done' WHERE run_id = ?").run(first);
    const rerun = openRun(journal, 'rerun').id;
    expect(insertFiles(journal, rerun, target, [file], false)).toEqual({
      queued: 0,
      existing: 0,
      alreadyUploaded: 1,
    });
  });

  it('lists the files a scan left out once per run, with their reasons and sizes counted', () => {
    const journal = temp.journal;
    const run = openRun(journal, 'scan').id;
    const target = ensureTarget(journal, 'wf-a', { newBatchName: 'b', enabled: false });
    const left = Array.from({ length: 87 }, (_, n) => ({
      path: `/d/h${n}`,
      name: `h${n}`,
      reason: 'hidden',
      size: n,
    }));
    expect(insertSkipped(journal, run, target, left)).toBe(87);
    expect(insertSkipped(journal, run, target, left.slice(0, 5))).toBe(0);
    expect(journal.db.prepare("SELECT n, bytes FROM item_counts WHERE state = 'skipped'").get()).toEqual({
      n: 87,
      bytes: (86 * 87) / 2,
    });
    expect(journal.db.prepare("SELECT COUNT(*) AS n FROM items WHERE reason = 'hidden'").get()).toEqual({
      n: 87,
    });
  });
});

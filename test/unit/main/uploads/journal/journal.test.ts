import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { useTempJournal } from '../../../../support/temp-journal.ts';
import { JournalBusyError, openJournal } from '../../../../../main/uploads/journal/journal.ts';
import { countItems, listItems } from '../../../../../main/uploads/journal/queries.ts';
import { applyControl } from '../../../../../main/uploads/journal/controls.ts';
import {
  beginChunk,
  chunkItems,
  openChunks,
  settleChunk,
} from '../../../../../main/uploads/journal/chunks.ts';
import {
  getItem,
  insertFiles,
  itemEvents,
  nextItems,
  readyForRecords,
  updateItem,
} from '../../../../../main/uploads/journal/items.ts';
import { insertRecords } from '../../../../../main/uploads/journal/records.ts';
import {
  ensureTarget,
  finishRun,
  forgetBatch,
  getTarget,
  openRun,
  setTargetState,
  targetHasRecords,
} from '../../../../../main/uploads/journal/targets.ts';

const WORKFLOW = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';

describe('upload journal', () => {
  const temp = useTempJournal('journal-');

  function file(n: number, size = 10, mtimeMs = 1000) {
    return { path: `/data/f${n}.jpg`, name: `f${n}.jpg`, size, mtimeMs };
  }

  it('refuses a second engine on the same journal, even from another process', () => {
    expect(() => openJournal(join(temp.dir, 'uploads.sqlite'))).toThrow(JournalBusyError);
    const script = `const {DatabaseSync}=require('node:sqlite');const d=new DatabaseSync(${JSON.stringify(join(temp.dir, 'uploads.sqlite'))},{timeout:0});try{d.exec('PRAGMA locking_mode=EXCLUSIVE;BEGIN IMMEDIATE;COMMIT');console.log('got')}catch(e){console.log('busy')}`;
    const other = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(other.stdout.trim()).toBe('busy');
  });

  it('keeps temporary storage in memory, so the counting trigger of every state change makes no temporary file', () => {
    const mode = temp.journal.db.prepare('PRAGMA temp_store').get() as { temp_store: number };
    expect(mode.temp_store).toBe(2);
  });

  it('keeps a stable journal id across reopen', () => {
    const id = temp.journal.journalId;
    temp.journal.close();
    temp.journal = openJournal(join(temp.dir, 'uploads.sqlite'));
    expect(temp.journal.journalId).toBe(id);
  });

  it('adds the variable-frame-rate flag to a journal written before it, its videos read as constant-rate', () => {
    const target = ensureTarget(temp.journal, WORKFLOW, { batchId: 'b' });
    insertFiles(temp.journal, openRun(temp.journal, 'r1').id, target, [file(1)], false);
    const [item] = nextItems(temp.journal, 'file', ['queued'], 1, new Set());
    updateItem(temp.journal, item!.id, { state: 'probed', fps: 25, frameCount: 50 });
    temp.journal.close();
    const older = new DatabaseSync(join(temp.dir, 'uploads.sqlite'));
    older.exec('ALTER TABLE items DROP COLUMN fps_variable');
    older.close();

    temp.journal = openJournal(join(temp.dir, 'uploads.sqlite'));
    expect(getItem(temp.journal, item!.id)).toMatchObject({ fps: 25, frameCount: 50, fpsVariable: false });
    updateItem(temp.journal, item!.id, { fps: 21.5, fpsVariable: true });
    expect(getItem(temp.journal, item!.id)).toMatchObject({ fps: 21.5, fpsVariable: true });
  });

  it('resumes the active run with the same key and starts a new one after it finished', () => {
    const first = openRun(temp.journal, 'k');
    expect(openRun(temp.journal, 'k')).toEqual({ id: first.id, resumed: true });
    finishRun(temp.journal, first.id);
    expect(openRun(temp.journal, 'k').resumed).toBe(false);
  });

  it('keys a new batch target by workflow and name, so a rerun never creates a second batch', () => {
    const a = ensureTarget(temp.journal, WORKFLOW, { newBatchName: 'test', enabled: true });
    setTargetState(temp.journal, a.id, 'ready', 'b-1');
    const b = ensureTarget(temp.journal, WORKFLOW, { newBatchName: 'test', enabled: true });
    expect(b.id).toBe(a.id);
    expect(b.batchId).toBe('b-1');
    expect(ensureTarget(temp.journal, WORKFLOW, { batchId: 'b-2' }).id).not.toBe(a.id);
  });

  it('keys targets by server and account too: a batch remembered for one server is never used on another', () => {
    const a = ensureTarget(
      temp.journal,
      WORKFLOW,
      { newBatchName: 'test', enabled: false },
      undefined,
      'ana@http://one/v1',
    );
    setTargetState(temp.journal, a.id, 'ready', 'b-1');
    const b = ensureTarget(
      temp.journal,
      WORKFLOW,
      { newBatchName: 'test', enabled: false },
      undefined,
      'ana@http://two/v1',
    );
    expect(b.id).not.toBe(a.id);
    expect(b).toMatchObject({ batchId: null, state: 'pending', server: 'ana@http://two/v1' });
    const c = ensureTarget(
      temp.journal,
      WORKFLOW,
      { newBatchName: 'test', enabled: false },
      undefined,
      'bo@http://one/v1',
    );
    expect(c.id).not.toBe(a.id);

    // Seen before only on the same server: a done file on one is queued, not skipped, on the other.
    const run = openRun(temp.journal, 'servers').id;
    const file = { path: '/p/x.png', name: 'x.png', size: 3, mtimeMs: 7 };
    insertFiles(temp.journal, run, a, [file], false);
    const item = nextItems(temp.journal, 'file', ['queued'], 1, new Set())[0];
    updateItem(temp.journal, item?.id ?? 0, { state: 'done', recordId: 'r-1' });
    const next = openRun(temp.journal, 'servers-2').id;
    expect(insertFiles(temp.journal, next, b, [file], false)).toMatchObject({
      queued: 1,
      alreadyUploaded: 0,
    });
    const later = openRun(temp.journal, 'servers-3').id;
    expect(insertFiles(temp.journal, later, a, [file], false)).toMatchObject({
      queued: 0,
      alreadyUploaded: 1,
    });

    // A target with a record can not be forgotten safely; one without can.
    expect(targetHasRecords(temp.journal, a.id)).toBe(true);
    expect(targetHasRecords(temp.journal, b.id)).toBe(false);
    setTargetState(temp.journal, b.id, 'ready', 'b-2');
    forgetBatch(temp.journal, b.id);
    expect(getTarget(temp.journal, b.id)).toMatchObject({ state: 'pending', batchId: null });
  });

  it('queues a file once per run and skips files already uploaded to the workflow unless asked to reupload', () => {
    const target = ensureTarget(temp.journal, WORKFLOW, { batchId: 'b' });
    const run = openRun(temp.journal, 'r1');
    expect(insertFiles(temp.journal, run.id, target, [file(1), file(2)], false)).toEqual({
      queued: 2,
      existing: 0,
      alreadyUploaded: 0,
    });
    expect(insertFiles(temp.journal, run.id, target, [file(1)], false).existing).toBe(1);
    const [first] = nextItems(temp.journal, 'file', ['queued'], 1, new Set());
    updateItem(temp.journal, first!.id, { state: 'done' });
    finishRun(temp.journal, run.id);
    const run2 = openRun(temp.journal, 'r1');
    const again = insertFiles(temp.journal, run2.id, target, [file(1), file(2)], false);
    expect(again).toEqual({ queued: 0, existing: 1, alreadyUploaded: 1 });
    // Changed size: uploaded again.
    expect(insertFiles(temp.journal, run2.id, target, [file(1, 11)], false).existing).toBe(1);
    const run3 = openRun(temp.journal, 'r3');
    expect(insertFiles(temp.journal, run3.id, target, [file(1)], true).queued).toBe(1);
  });

  it('lists pages with filters and search in SQL and counts by group', async () => {
    const target = ensureTarget(temp.journal, WORKFLOW, { batchId: 'b' });
    const run = openRun(temp.journal, 'r');
    insertFiles(
      temp.journal,
      run.id,
      target,
      Array.from({ length: 50 }, (_, i) => file(i)),
      false,
    );
    updateItem(temp.journal, 3, { state: 'failed', reason: 'empty file' });
    updateItem(temp.journal, 4, { state: 'done' });
    await applyControl(temp.journal, 'pause', [5, 6, 4], 0);
    const page = listItems(temp.journal, { groups: ['waiting'] }, 0, 10);
    expect(page.total).toBe(46);
    expect(page.items).toHaveLength(10);
    expect(listItems(temp.journal, { search: 'f1' }, 0, 100).total).toBe(11);
    expect(listItems(temp.journal, { groups: ['paused'] }, 0, 100).items.map((i) => i.id)).toEqual([5, 6]);
    expect(listItems(temp.journal, { batchId: 'b' }, 40, 100).items).toHaveLength(10);
    const counts = countItems(temp.journal);
    expect(counts.files).toMatchObject({ waiting: 46, failed: 1, done: 1, paused: 2, total: 50 });
    expect(counts.bytesDone).toBe(10);
    await applyControl(temp.journal, 'retry', undefined, 0);
    expect(getItem(temp.journal, 3)!.state).toBe('queued');
    expect(await applyControl(temp.journal, 'cancel', undefined, 0)).toBe(49);
    expect(countItems(temp.journal).files.canceled).toBe(49);
  });

  it('counts each control as it starts and again once applied, so a scheduler reading ahead reads again', async () => {
    const target = ensureTarget(temp.journal, WORKFLOW, { batchId: 'b' });
    const run = openRun(temp.journal, 'r');
    insertFiles(temp.journal, run.id, target, [file(1), file(2)], false);
    const before = temp.journal.controlsApplied;
    const pausing = applyControl(temp.journal, 'pause', undefined, 0);
    expect(temp.journal.controlsApplied).toBe(before + 1);
    expect(await pausing).toBe(2);
    expect(temp.journal.controlsApplied).toBe(before + 2);
    await applyControl(temp.journal, 'resume', [1], 0);
    expect(temp.journal.controlsApplied).toBe(before + 4);
  });

  it('keeps trigger-maintained counts equal to the items, per run and overall, through every kind of change', async () => {
    const target = ensureTarget(temp.journal, WORKFLOW, { batchId: 'b' });
    const runA = openRun(temp.journal, 'a');
    const runB = openRun(temp.journal, 'b');
    insertFiles(
      temp.journal,
      runA.id,
      target,
      Array.from({ length: 30 }, (_, i) => file(i, 100 + i)),
      false,
    );
    insertFiles(
      temp.journal,
      runB.id,
      target,
      Array.from({ length: 20 }, (_, i) => file(100 + i, 7)),
      false,
    );
    insertRecords(temp.journal, runB.id, target, '/r.jsonl', [
      { sourceKey: '/r.jsonl#1', name: 'r 1', payload: '{}' },
    ]);
    const states = ['probed', 'uploading', 'closed', 'done', 'failed', 'skipped'] as const;
    for (let id = 1; id <= 50; id++) updateItem(temp.journal, id, { state: states[id % states.length]! });
    await applyControl(temp.journal, 'pause', [1, 2, 3, 4, 5, 6, 7], 0);
    await applyControl(temp.journal, 'cancel', [8, 9], 0);
    await applyControl(temp.journal, 'retry', undefined, 0);
    const direct = (runId?: number) => {
      const rows = temp.journal.db
        .prepare(
          `SELECT state, paused, kind, COUNT(*) AS n, SUM(size) AS bytes FROM items ${runId === undefined ? '' : 'WHERE run_id = ' + runId} GROUP BY state, paused, kind ORDER BY state, paused, kind`,
        )
        .all();
      return JSON.stringify(rows);
    };
    const counted = (runId?: number) =>
      JSON.stringify(
        temp.journal.db
          .prepare(
            `SELECT state, paused, kind, SUM(n) AS n, SUM(bytes) AS bytes FROM item_counts ${runId === undefined ? '' : 'WHERE run_id = ' + runId} GROUP BY state, paused, kind HAVING SUM(n) > 0 ORDER BY state, paused, kind`,
          )
          .all(),
      );
    expect(counted()).toBe(direct());
    expect(counted(runA.id)).toBe(direct(runA.id));
    expect(counted(runB.id)).toBe(direct(runB.id));
    expect(countItems(temp.journal, runB.id).files.total).toBe(21);
  });

  it('writes a records chunk before posting and settles it atomically', () => {
    const target = ensureTarget(temp.journal, WORKFLOW, { batchId: 'b' });
    const run = openRun(temp.journal, 'r');
    insertFiles(temp.journal, run.id, target, [file(1), file(2), file(3)], false);
    for (const id of [1, 2, 3]) updateItem(temp.journal, id, { state: 'closed', assetId: `a${id}` });
    const ready = readyForRecords(temp.journal, target.id, 'file', 1000);
    expect(ready).toHaveLength(3);
    const chunkId = beginChunk(temp.journal, target.id, 'b', 'assets', [1, 2, 3], 7);
    expect(openChunks(temp.journal)).toMatchObject([{ id: chunkId, countBefore: 7, state: 'posting' }]);
    expect(chunkItems(temp.journal, chunkId)).toHaveLength(3);
    settleChunk(temp.journal, chunkId, {
      created: [{ itemId: 1, recordId: 'r1' }],
      rejected: [{ itemId: 2, reason: 'asset is not uploaded' }],
      again: [{ itemId: 3, kind: 'file' }],
    });
    expect(openChunks(temp.journal)).toHaveLength(0);
    expect(getItem(temp.journal, 1)).toMatchObject({ state: 'done', recordId: 'r1' });
    expect(getItem(temp.journal, 2)).toMatchObject({
      state: 'failed',
      reason: 'asset is not uploaded',
      resumeState: 'closed',
    });
    expect(getItem(temp.journal, 3)).toMatchObject({ state: 'closed', chunkId: null });
    expect(itemEvents(temp.journal, 2)).toMatchObject([{ step: 'record', message: 'asset is not uploaded' }]);
  });
});

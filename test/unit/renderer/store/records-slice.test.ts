import { describe, expect, it } from 'vitest';
import type { AddRecordsResult, RecordsPlan, UploadTarget } from '../../../../common/api.ts';
import { settle, testStore } from './fake-bridge.ts';

const WORKFLOW = '11111111-1111-4111-8111-111111111111';
const BATCH = '22222222-2222-4222-8222-222222222222';
const target: UploadTarget = { workflowId: WORKFLOW, batchId: BATCH };

const plan = (over: Partial<RecordsPlan> = {}): RecordsPlan => ({
  format: 'csv',
  rows: 3,
  encoding: 'utf-8',
  encodingSource: 'default',
  delimiter: 'semicolon',
  delimiterSource: 'detected',
  alreadyImported: 0,
  alreadyImportedAt: null,
  alreadyQueued: 0,
  toImport: 3,
  errors: [],
  ...over,
});

const added = (over: Partial<AddRecordsResult> = {}): AddRecordsResult => ({
  rows: 3,
  format: 'csv',
  encoding: 'utf-8',
  delimiter: 'semicolon',
  queued: 3,
  errors: [],
  alreadyImported: 0,
  alreadyImportedAt: null,
  alreadyQueued: 0,
  ...over,
});

/** A store whose batch listing and queue calls answer, as after any import. */
function storeWith(methods: Parameters<typeof testStore>[0]) {
  return testStore({
    listBatches: () => Promise.resolve([]),
    getQueueTotals: () => new Promise(() => {}),
    trackBatch: () => new Promise(() => {}),
    ...methods,
  });
}

describe('records import (store)', () => {
  it('checks the file with the reading choice given, sending only the choices made', async () => {
    const t = storeWith({ planRecordsFile: () => Promise.resolve(plan()) });
    t.store.getState().openRecords();
    await t.store.getState().planRecords('/d/r.csv', target, { encoding: 'windows-1252', delimiter: '' });
    expect(t.calls.find((c) => c.method === 'planRecordsFile')?.args).toEqual([
      { path: '/d/r.csv', target, encoding: 'windows-1252' },
    ]);
    expect(t.store.getState()).toMatchObject({ recordsStatus: 'planned', recordsError: null });
    expect(t.store.getState().recordsPlan?.read).toEqual({ encoding: 'windows-1252', delimiter: '' });
  });

  it('keeps the dialog editing with the reason when the check fails', async () => {
    const t = storeWith({ planRecordsFile: () => Promise.reject(new Error('the file /d/r.csv vanished')) });
    t.store.getState().openRecords();
    await t.store.getState().planRecords('/d/r.csv', target, { encoding: '', delimiter: '' });
    expect(t.store.getState()).toMatchObject({
      recordsStatus: 'editing',
      recordsPlan: null,
      recordsError: 'the file /d/r.csv vanished',
    });
  });

  it('drops a plan that arrives after the dialog was closed', async () => {
    let answer: (p: RecordsPlan) => void = () => undefined;
    const t = storeWith({ planRecordsFile: () => new Promise((resolve) => (answer = resolve)) });
    t.store.getState().openRecords();
    const planning = t.store.getState().planRecords('/d/r.csv', target, { encoding: '', delimiter: '' });
    t.store.getState().closeRecords();
    answer(plan());
    await planning;
    expect(t.store.getState()).toMatchObject({ recordsStatus: 'closed', recordsPlan: null });
  });

  it('never imports a file whose plan has a bad line', async () => {
    const t = storeWith({
      planRecordsFile: () => Promise.resolve(plan({ errors: [{ line: 2, message: 'not valid UTF-8' }] })),
    });
    t.store.getState().openRecords();
    await t.store.getState().planRecords('/d/r.csv', target, { encoding: '', delimiter: '' });
    expect(await t.store.getState().importRecords(false)).toBe(false);
    expect(t.calls.some((c) => c.method === 'addRecordsFile')).toBe(false);
  });

  it('imports the planned file with the same reading choice and the reimport choice, then shows the queue', async () => {
    const t = storeWith({
      planRecordsFile: () => Promise.resolve(plan({ alreadyImported: 2, toImport: 1 })),
      addRecordsFile: () => Promise.resolve(added({ queued: 1, alreadyImported: 2 })),
    });
    t.store.getState().openRecords();
    await t.store.getState().planRecords('/d/r.csv', target, { encoding: '', delimiter: 'semicolon' });
    expect(await t.store.getState().importRecords(false)).toBe(true);
    await settle();
    expect(t.calls.find((c) => c.method === 'addRecordsFile')?.args).toEqual([
      { path: '/d/r.csv', target, reimport: false, delimiter: 'semicolon' },
    ]);
    const state = t.store.getState();
    expect(state.recordsStatus).toBe('closed');
    expect(state.view).toEqual({ name: 'queue' });
    expect(state.notices.map((n) => n.message)).toContain(
      'Queued 1 record for import; 2 records imported before left out.',
    );
  });

  it('keeps the plan and says the first line when the import finds a problem the check did not', async () => {
    const t = storeWith({
      planRecordsFile: () => Promise.resolve(plan()),
      addRecordsFile: () =>
        Promise.resolve(
          added({ queued: 0, errors: [{ line: 7, message: 'the file changed since the check' }] }),
        ),
    });
    t.store.getState().openRecords();
    await t.store.getState().planRecords('/d/r.csv', target, { encoding: '', delimiter: '' });
    expect(await t.store.getState().importRecords(true)).toBe(false);
    expect(t.store.getState()).toMatchObject({
      recordsStatus: 'planned',
      recordsError: 'Line 7: the file changed since the check',
    });
    expect(t.store.getState().recordsPlan).not.toBeNull();
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { BatchView, Completion, ConnectionState, ScanSummary } from '../../../../common/api.ts';
import { batchFigures } from '../../../../renderer/store/batch-figures.ts';
import { countedFiles, pendingCount } from '../../../../renderer/store/selectors.ts';
import { settle, testStore } from './fake-bridge.ts';

const WF = '11111111-1111-4111-8111-111111111111';
const BATCH = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const counts = {
  complete: 0,
  inProgress: 0,
  queued: 0,
  archived: 0,
  archiving: 0,
  adminReview: 0,
  content: 0,
  exceptions: 0,
  canceled: 0,
};
const batch: BatchView = {
  id: BATCH,
  name: 'June',
  workflowId: WF,
  isEnabled: true,
  createdAt: '',
  counts,
  completion: null,
};
const connected: ConnectionState = {
  status: 'connected',
  profileId: 'p',
  profileName: 'Sandbox',
  apiUrl: 'http://127.0.0.1/v1',
  isSandbox: true,
};

function completion(results: number, exceptions: number, canceled: number, records = 10): Completion {
  const final = results + exceptions + canceled;
  return {
    batchId: BATCH,
    workflowId: WF,
    records,
    results,
    exceptions,
    canceled,
    final,
    percentFinal: (final / records) * 100,
    done: final >= records,
    coming: 0,
    counts,
    updatedAt: '',
  };
}

function scan(partial: Partial<ScanSummary>): ScanSummary {
  return {
    scanId: 's1',
    complete: false,
    files: 0,
    bytes: 0,
    byKind: { image: { files: 0, bytes: 0 }, video: { files: 0, bytes: 0 }, text: { files: 0, bytes: 0 } },
    uploadedBefore: {},
    compared: { files: 0, done: 0 },
    skippedCount: 0,
    skipped: [],
    alreadyUploaded: 0,
    ...partial,
  };
}

const workspace = {
  listWorkflows: () =>
    Promise.resolve([{ id: WF, name: 'Images', description: null, kind: 'image' as const }]),
  listBatches: () => Promise.resolve([batch]),
  getQueueTotals: () => Promise.reject(new Error('not now')),
  listExports: () => Promise.resolve([]),
  listAutoSync: () => Promise.resolve([]),
};

describe('connection slice', () => {
  it('loads the workspace when the engine reports a connection', async () => {
    const t = testStore(workspace);
    t.emit('connectionChanged', connected);
    await settle();
    const s = t.store.getState();
    expect(s.connection.status).toBe('connected');
    expect(s.workflowsStatus).toBe('ready');
    expect(s.batches[WF]).toEqual([batch]);
  });

  it('keeps the engine message when the sandbox cannot start, and allows another try', async () => {
    const t = testStore({ startSandbox: () => Promise.reject(new Error('Port 4010 is in use.')) });
    await t.store.getState().startSandbox();
    expect(t.store.getState().connectError).toBe('Port 4010 is in use.');
    expect(t.store.getState().connecting).toBe(false);
  });

  it('reports a failed boot with its message', async () => {
    const t = testStore({
      getHostInfo: () => Promise.reject(new Error('lost the connection to the app host')),
    });
    await t.store.getState().boot();
    expect(t.store.getState().bootStatus).toBe('error');
    expect(t.store.getState().bootError).toBe('lost the connection to the app host');
  });
});

describe('catalog slice', () => {
  it('notifies once when a batch becomes done', () => {
    const t = testStore({});
    t.emit('batchCompletion', completion(3, 1, 0));
    t.emit('batchCompletion', completion(6, 2, 2));
    t.emit('batchCompletion', completion(6, 2, 2));
    expect(t.notifications).toHaveLength(1);
    expect(t.notifications[0]?.body).toBe('6 results, 2 exceptions, 2 canceled.');
    expect(t.store.getState().completions[BATCH]?.done).toBe(true);
  });

  it('says one result and one exception in the singular', () => {
    const t = testStore({});
    t.emit('batchCompletion', completion(1, 0, 0, 2));
    t.emit('batchCompletion', completion(1, 1, 0, 2));
    expect(t.notifications[0]?.body).toBe('1 result, 1 exception, 0 canceled.');
  });

  it('does not notify for a batch first seen already done (one opened after it finished)', () => {
    const t = testStore({});
    t.emit('batchCompletion', completion(6, 2, 2));
    expect(t.notifications).toHaveLength(0);
    expect(t.store.getState().completions[BATCH]?.done).toBe(true);
  });

  it('does not notify when notifications are off', () => {
    const t = testStore({});
    t.store.setState({
      settings: {
        concurrency: 1,
        putConcurrency: 1,
        bandwidthMBps: 0,
        downloadDir: '',
        notifications: false,
        theme: 'system',
        autoSyncMinutes: 5,
      },
    });
    t.emit('batchCompletion', completion(9, 0, 0));
    t.emit('batchCompletion', completion(10, 0, 0));
    expect(t.notifications).toHaveLength(0);
    expect(t.store.getState().notices.at(-1)?.message).toMatch(/is done/);
  });

  it('lists the exception and canceled records of an opened batch', async () => {
    const t = testStore({
      trackBatch: () => Promise.resolve(completion(8, 1, 1)),
      listRecords: () =>
        Promise.resolve({
          items: [{ id: 'r1', status: 'exception', metadata: '{}', assetId: null, createdAt: '' }],
          total: 1,
        }),
    });
    t.store.getState().navigate({ name: 'batch', workflowId: WF, batchId: BATCH });
    await settle();
    expect(t.calls.find((c) => c.method === 'listRecords')?.args[0]).toMatchObject({
      batchId: BATCH,
      statuses: ['exception', 'canceled'],
    });
    expect(t.store.getState().records).toMatchObject({ status: 'ready', total: 1 });
    expect(t.store.getState().completions[BATCH]?.final).toBe(10);
  });

  it('reads the whole exception and canceled list, page after page, not just its first page', async () => {
    const all = Array.from({ length: 1234 }, (_, i) => ({
      id: `r${i}`,
      status: i % 3 === 0 ? 'canceled' : 'exception',
      metadata: null,
      assetId: null,
      createdAt: '',
    }));
    const t = testStore({
      trackBatch: () => Promise.resolve(completion(8, 1, 1)),
      listRecords: (query) =>
        Promise.resolve({
          items: all.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100)),
          total: all.length,
        }),
    });
    t.store.getState().navigate({ name: 'batch', workflowId: WF, batchId: BATCH });
    await vi.waitFor(() => expect(t.store.getState().records?.items).toHaveLength(1234));
    expect(t.store.getState().records?.items.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(t.calls.filter((c) => c.method === 'listRecords')).toHaveLength(3);
  });

  it('saves the list as CSV: in the browser host a download of its link, in the desktop app a word of where', async () => {
    const file = {
      id: 'f',
      name: 'Shelf exceptions and canceled.csv',
      path: '/d/x.csv',
      href: null,
      rows: 3,
    };
    const t = testStore({ saveRecordsCsv: () => Promise.resolve(file) });
    const order = {
      statuses: ['canceled' as const],
      text: '',
      sort: 'file' as const,
      direction: 'ascending' as const,
    };
    await t.store.getState().saveRecordsList({ batchId: BATCH, batchName: 'Shelf', order });
    expect(t.calls.find((c) => c.method === 'saveRecordsCsv')?.args[0]).toMatchObject({ order });
    expect(t.store.getState().notices.at(-1)?.message).toBe('Saved 3 records to /d/x.csv.');
  });
});

describe('intake slice', () => {
  it('shows live counts, then the summary, and ignores other scans', async () => {
    let finish: (s: ScanSummary) => void = () => {};
    const t = testStore({ scanPaths: () => new Promise((r) => (finish = r)) });
    t.store.getState().openIntake(['/data']);
    expect(t.store.getState().intakeStatus).toBe('scanning');
    t.emit('scanProgress', scan({ files: 500 }));
    expect(t.store.getState().scan?.files).toBe(500);
    t.emit('scanProgress', scan({ scanId: 'other', files: 9 }));
    expect(t.store.getState().scan?.files).toBe(500);
    finish(scan({ files: 1200, complete: true }));
    await settle();
    expect(t.store.getState().intakeStatus).toBe('ready');
    t.emit('scanProgress', scan({ files: 700 }));
    expect(t.store.getState().scan?.files).toBe(1200);
  });

  it('keeps the dialog and its findings when queuing fails', async () => {
    const t = testStore({
      scanPaths: () => Promise.resolve(scan({ files: 3, complete: true })),
      queueScan: () => Promise.reject(new Error('The batch name is taken.')),
    });
    t.store.getState().openIntake(['/data']);
    await settle();
    const ok = await t.store
      .getState()
      .queueScan(
        { workflowId: WF, newBatch: { name: 'x', isEnabled: true } },
        { reupload: false, skipDuplicateContent: false },
      );
    expect(ok).toBe(false);
    // Said next to the batch, naming it.
    expect(t.store.getState()).toMatchObject({
      intakeStatus: 'ready',
      queueError: 'The batch “x” could not be created. The batch name is taken.',
    });
    expect(t.store.getState().scan?.files).toBe(3);
  });

  it('queues into the target, closes, and opens the queue', async () => {
    const t = testStore({
      ...workspace,
      scanPaths: () => Promise.resolve(scan({ files: 3, complete: true })),
      queueScan: () => Promise.resolve({ queued: 3, skipped: 0 }),
      listQueue: () => Promise.resolve({ items: [], total: 0, offset: 0 }),
    });
    t.store.getState().navigate({ name: 'settings' });
    t.store.getState().openIntake(['/data']);
    await settle();
    expect(
      await t.store
        .getState()
        .queueScan(
          { workflowId: WF, batchId: BATCH },
          { reupload: false, skipDuplicateContent: true, maxRecords: 2 },
        ),
    ).toBe(true);
    expect(t.calls.find((c) => c.method === 'queueScan')?.args[0]).toEqual({
      scanId: 's1',
      target: { workflowId: WF, batchId: BATCH },
      reupload: false,
      skipDuplicateContent: true,
      maxRecords: 2,
    });
    expect(t.store.getState().intakeStatus).toBe('closed');
    expect(t.store.getState().view).toEqual({ name: 'queue' });
    expect(t.store.getState().notices.map((n) => n.message)).toContain(
      'Queued 3 files for upload; at most 2 records.',
    );
  });
});

describe('exports slice', () => {
  it('keeps the history newest first as jobs change', () => {
    const t = testStore({});
    const job = (id: string, createdAt: string, status: 'downloading' | 'done') => ({
      id,
      workflowId: WF,
      batchIds: [],
      filename: `${id}.zip`,
      format: 'zip' as const,
      status,
      recordResultCount: null,
      bytes: 0,
      totalBytes: null,
      throughput: 0,
      etaSeconds: null,
      path: null,
      extractedTo: null,
      error: null,
      createdAt,
    });
    t.emit('exportChanged', job('a', '2024-01-01T00:00:00Z', 'downloading'));
    t.emit('exportChanged', job('b', '2024-02-01T00:00:00Z', 'downloading'));
    t.emit('exportChanged', job('a', '2024-01-01T00:00:00Z', 'done'));
    const jobs = t.store.getState().exportJobs;
    expect(jobs.map((j) => `${j.id}:${j.status}`)).toEqual(['b:downloading', 'a:done']);
    expect(t.store.getState().notices.at(-1)?.message).toBe('Export a.zip is ready.');
  });
});

describe('selectors', () => {
  it('counts what is waiting, what counts toward the total, and batch progress', () => {
    const totals = {
      files: { total: 20, waiting: 3, active: 2, done: 5, failed: 1, paused: 4, canceled: 2, skipped: 3 },
      bytes: { total: 0, done: 0 },
      throughput: 0,
      etaSeconds: null,
      mode: 'offline' as const,
      message: null,
    };
    expect(pendingCount(totals)).toBe(9);
    expect(countedFiles(totals)).toBe(15);
    expect(batchFigures(batch, completion(5, 2, 3))).toMatchObject({ records: 10, final: 10, done: true });
    expect(
      batchFigures({ ...batch, counts: { ...counts, complete: 2, queued: 3, exceptions: 1 } }, null),
    ).toMatchObject({ records: 6, final: 3, done: false, summary: '6 records · 50% final' });
  });

  it('counts the files still coming: "489 of 2,000 sent · 66% of those final", never done meanwhile', () => {
    // 489 records, 323 of them final (66.05%), 1,511 files still on their way.
    const view = { ...completion(300, 20, 3, 489), coming: 1511 };
    const figures = batchFigures(batch, view);
    expect(figures).toMatchObject({ records: 489, coming: 1511, expected: 2000, final: 323 });
    expect(figures.summary).toBe('489 of 2,000 sent · 66% of those final');
    // All final so far, but files are still coming: not done, and the summary does not say 100% of the batch.
    const allFinal = batchFigures(batch, { ...completion(5, 3, 2, 10), coming: 4 });
    expect(allFinal.done).toBe(false);
    expect(allFinal.summary).toBe('10 of 14 sent · 100% of those final');
    expect(batchFigures(batch, { ...completion(5, 3, 2, 10), coming: 0 }).summary).toBe(
      '10 records · 100% final',
    );
  });

  it('takes every figure from the completion, its count fields included, when the batch is tracked', () => {
    // The listed counts are older than the completion: nothing of them shows once the completion is there.
    const stale = { ...batch, counts: { ...counts, complete: 1, exceptions: 7 } };
    const view = {
      ...completion(4, 8, 1, 20),
      counts: { ...counts, complete: 4, exceptions: 8, canceled: 1 },
    };
    const figures = batchFigures(stale, view);
    expect(figures.exceptions).toBe(8);
    expect(figures.counts).toBe(view.counts);
  });
});

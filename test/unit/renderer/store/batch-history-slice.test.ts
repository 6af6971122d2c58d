/** The open batch's history: read when the batch opens, again (at most once a second) as the queue changes. */
import { describe, expect, it } from 'vitest';
import type { BatchTransferView } from '../../../../common/api.ts';
import { settle, testStore } from './fake-bridge.ts';

const BATCH = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const WORKFLOW = '33333333-3333-4333-8333-333333333333';

function transfer(id: number, done: number): BatchTransferView {
  return {
    id,
    startedAt: '2026-01-01T00:00:00Z',
    lastChangedAt: '2026-01-01T00:05:00Z',
    label: `folder-${id}`,
    kind: 'files',
    workflowId: WORKFLOW,
    batchId: BATCH,
    newBatchName: null,
    counts: {
      files: { total: done, waiting: 0, active: 0, done, failed: 0, paused: 0, canceled: 0, skipped: 0 },
      bytes: { total: done, done },
    },
    speed: 0,
    etaSeconds: 0,
    finished: true,
    recordLimit: null,
  };
}

describe('batch history slice', () => {
  it('reads the history of the batch opened, and again once per burst of queue changes while it is open', async () => {
    let answer = [transfer(1, 3)];
    const t = testStore({
      listBatchTransfers: async () => answer,
      trackBatch: () => new Promise(() => {}),
    });
    t.store.getState().navigate({ name: 'batch', workflowId: WORKFLOW, batchId: BATCH });
    expect(t.store.getState().batchHistory?.status).toBe('loading');
    await settle();
    expect(t.store.getState().batchHistory).toMatchObject({ batchId: BATCH, status: 'ready' });
    expect(t.calls.filter((c) => c.method === 'listBatchTransfers').map((c) => c.args)).toEqual([
      [{ batchId: BATCH }],
    ]);

    answer = [transfer(2, 1), transfer(1, 3)];
    t.emit('queueChanged', { reason: 'added' });
    t.emit('queueChanged', { reason: 'state' });
    t.flushTimers();
    await settle();
    expect(t.store.getState().batchHistory?.transfers.map((x) => x.id)).toEqual([2, 1]);
    expect(t.calls.filter((c) => c.method === 'listBatchTransfers')).toHaveLength(2);

    // Another screen: queue changes read nothing.
    t.store.getState().navigate({ name: 'queue' });
    t.emit('queueChanged', { reason: 'added' });
    t.flushTimers();
    await settle();
    expect(t.calls.filter((c) => c.method === 'listBatchTransfers')).toHaveLength(2);
    t.dispose();
  });

  it('says why the history did not load, and a history of another batch never shows under this one', async () => {
    let fail = true;
    const t = testStore({
      listBatchTransfers: async () => {
        if (fail) throw new Error('not connected: choose a profile or try the sandbox first');
        return [transfer(1, 2)];
      },
    });
    await t.store.getState().loadBatchHistory(BATCH);
    expect(t.store.getState().batchHistory).toMatchObject({
      status: 'error',
      error: expect.stringContaining('not connected') as unknown,
    });
    fail = false;
    const first = t.store.getState().loadBatchHistory(BATCH);
    void t.store.getState().loadBatchHistory(OTHER);
    await first;
    await settle();
    expect(t.store.getState().batchHistory?.batchId).toBe(OTHER);
    t.dispose();
  });
});

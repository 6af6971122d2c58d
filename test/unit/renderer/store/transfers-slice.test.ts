import { describe, expect, it } from 'vitest';
import type { TransferView } from '../../../../common/api.ts';
import { transferSummary } from '../../../../renderer/store/transfers-slice.ts';
import { settle, testStore } from './fake-bridge.ts';

function transfer(id: number, done: number, failed: number, waiting: number): TransferView {
  const total = done + failed + waiting;
  return {
    id,
    startedAt: '2026-01-01T00:00:00Z',
    label: `folder-${id}`,
    kind: 'files',
    workflowId: 'w',
    batchId: null,
    newBatchName: `Batch ${id}`,
    counts: {
      files: { total, waiting, active: 0, done, failed, paused: 0, canceled: 0, skipped: 0 },
      bytes: { total: total * 10, done: done * 10 },
    },
    speed: 0,
    etaSeconds: null,
    finished: waiting === 0,
    recordLimit: null,
  };
}

describe('transfers slice', () => {
  it('announces the end of a transfer it saw under way, once, and not of those finished before', async () => {
    let answer = [transfer(2, 1, 0, 3), transfer(1, 5, 0, 0)];
    const t = testStore({ listTransfers: async () => answer });
    await t.store.getState().loadTransfers();
    expect(t.store.getState().transfers.map((x) => x.id)).toEqual([2, 1]);
    expect(t.store.getState().notices).toEqual([]);

    answer = [transfer(2, 3, 1, 0), transfer(1, 5, 0, 0)];
    await t.store.getState().loadTransfers();
    await t.store.getState().loadTransfers();
    const messages = t.store.getState().notices.map((n) => [n.level, n.message]);
    expect(messages).toEqual([['warning', 'Transfer “folder-2” finished: 3 done, 1 failed.']]);
    t.dispose();
  });

  it('announces a transfer that began and ended between two reads, but none finished before the first read', async () => {
    let answer = [transfer(1, 5, 0, 0)];
    const t = testStore({ listTransfers: async () => answer });
    await t.store.getState().loadTransfers();
    answer = [transfer(3, 3, 0, 0), transfer(1, 5, 0, 0)];
    await t.store.getState().loadTransfers();
    await t.store.getState().loadTransfers();
    const messages = t.store.getState().notices.map((n) => [n.level, n.message]);
    expect(messages).toEqual([['info', 'Transfer “folder-3” finished: 3 done, 0 failed.']]);
    t.dispose();
  });

  it('reads the transfers again at most once per tick however many progress snapshots arrive', async () => {
    const t = testStore({ listTransfers: async () => [] });
    for (let i = 0; i < 10; i++) t.store.getState().transfersTick();
    expect(t.pendingTimers()).toBe(1);
    t.flushTimers();
    await settle();
    expect(t.calls.filter((c) => c.method === 'listTransfers')).toHaveLength(1);
    t.dispose();
  });

  it('retries one transfer through the contract and folds a transfer open on the files of a group', async () => {
    const t = testStore({
      retryTransfer: async () => undefined,
      listQueue: async () => ({ items: [], total: 0, offset: 0 }),
    });
    await t.store.getState().retryTransfer(7);
    expect(t.calls.find((c) => c.method === 'retryTransfer')?.args).toEqual([{ transferId: 7 }]);
    t.store.getState().openTransfer(7, ['failed']);
    await settle();
    const query = t.calls.filter((c) => c.method === 'listQueue').at(-1)?.args[0];
    expect(query).toMatchObject({ transferId: 7, groups: ['failed'] });
    t.dispose();
  });

  it('summarises counts with skipped and canceled only when there are some', () => {
    const view = transfer(3, 2, 0, 0);
    expect(transferSummary(view)).toBe('2 done, 0 failed');
    view.counts.files.skipped = 4;
    view.counts.files.canceled = 1;
    expect(transferSummary(view)).toBe('2 done, 4 skipped, 1 canceled, 0 failed');
  });
});

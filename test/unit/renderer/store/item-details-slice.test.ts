import { describe, expect, it } from 'vitest';
import type { ItemDetails, ItemDetailsArgs } from '../../../../common/api.ts';
import { settle, testStore } from './fake-bridge.ts';

const WF = '11111111-1111-4111-8111-111111111111';

function details(id: number, attempts: number, state: ItemDetails['item']['state'] = 'failed'): ItemDetails {
  return {
    item: {
      id,
      path: `/data/shelf-${id}.jpg`,
      name: `shelf-${id}.jpg`,
      kind: 'image',
      size: 2048,
      state,
      bytesSent: 0,
      speed: 0,
      error: state === 'failed' ? 'the connection was cut' : null,
      workflowId: WF,
      batchId: null,
      assetId: null,
      recordId: null,
      updatedAt: '2026-11-29T10:00:00.000Z',
    },
    workflowName: 'Sandbox image boxes',
    batchName: 'June',
    queuedAt: '2026-11-29T09:59:00.000Z',
    video: null,
    history: Array.from({ length: attempts }, (_, i) => ({
      at: '2026-11-29T10:00:00.000Z',
      step: 'uploading',
      attempt: i + 1,
      message: 'the connection was cut',
    })),
    historyTotal: attempts,
  };
}

describe('item details slice', () => {
  it('opens on an item: loading first, then its details', async () => {
    let release: (value: ItemDetails) => void = () => {};
    const t = testStore({
      getItemDetails: () => new Promise<ItemDetails>((resolve) => (release = resolve)),
    });
    const opening = t.store.getState().openItemDetails(7);
    expect(t.store.getState().itemDetails).toEqual({ id: 7, status: 'loading', details: null, error: null });
    expect(t.calls.at(-1)).toEqual({ method: 'getItemDetails', args: [{ id: 7 }] });
    release(details(7, 3));
    await opening;
    const open = t.store.getState().itemDetails;
    expect(open?.status).toBe('ready');
    expect(open?.details?.history.map((h) => h.attempt)).toEqual([1, 2, 3]);
    t.dispose();
  });

  it('shows the engine’s message when the item is gone, and "Try again" asks again', async () => {
    let gone = true;
    const t = testStore({
      getItemDetails: async ({ id }: ItemDetailsArgs) => {
        if (gone) throw { code: 'item-not-found', message: 'That file is no longer in the queue.' };
        return details(id, 0, 'done');
      },
    });
    await t.store.getState().openItemDetails(9);
    expect(t.store.getState().itemDetails).toEqual({
      id: 9,
      status: 'error',
      details: null,
      error: 'That file is no longer in the queue.',
    });
    gone = false;
    await t.store.getState().reloadItemDetails();
    expect(t.store.getState().itemDetails?.status).toBe('ready');
    expect(t.store.getState().itemDetails?.details?.item.state).toBe('done');
    t.dispose();
  });

  it('drops an answer that arrives after the dialog was closed or moved to another item', async () => {
    const pending = new Map<number, (value: ItemDetails) => void>();
    const t = testStore({
      getItemDetails: ({ id }: ItemDetailsArgs) =>
        new Promise<ItemDetails>((resolve) => pending.set(id, resolve)),
    });
    void t.store.getState().openItemDetails(1);
    void t.store.getState().openItemDetails(2);
    pending.get(1)?.(details(1, 1));
    await settle();
    expect(t.store.getState().itemDetails).toMatchObject({ id: 2, status: 'loading' });
    pending.get(2)?.(details(2, 2));
    await settle();
    expect(t.store.getState().itemDetails?.details?.item.id).toBe(2);
    void t.store.getState().openItemDetails(3);
    t.store.getState().closeItemDetails();
    pending.get(3)?.(details(3, 1));
    await settle();
    expect(t.store.getState().itemDetails).toBeNull();
    t.dispose();
  });

  it('follows queue changes while open, at most one refresh per delay, keeping what was shown on a failed refresh', async () => {
    let attempts = 1;
    let fail = false;
    const t = testStore({
      getItemDetails: async ({ id }: ItemDetailsArgs) => {
        if (fail) throw { code: 'not-connected', message: 'not connected' };
        return details(id, attempts);
      },
    });
    const detailCalls = () => t.calls.filter((c) => c.method === 'getItemDetails').length;
    // Closed: queue changes read nothing.
    t.emit('queueChanged', { reason: 'upload' });
    t.flushTimers();
    await settle();
    expect(detailCalls()).toBe(0);

    await t.store.getState().openItemDetails(4);
    expect(detailCalls()).toBe(1);
    attempts = 2;
    t.emit('queueChanged', { reason: 'upload' });
    t.emit('queueChanged', { reason: 'upload' });
    t.emit('queueChanged', { reason: 'probe' });
    expect(detailCalls()).toBe(1);
    t.flushTimers();
    await settle();
    expect(detailCalls()).toBe(2);
    expect(t.store.getState().itemDetails?.details?.history).toHaveLength(2);
    expect(t.store.getState().itemDetails?.status).toBe('ready');

    fail = true;
    t.emit('queueChanged', { reason: 'upload' });
    t.flushTimers();
    await settle();
    expect(t.store.getState().itemDetails?.status).toBe('ready');
    expect(t.store.getState().itemDetails?.details?.history).toHaveLength(2);

    const afterFailure = detailCalls();
    t.store.getState().closeItemDetails();
    t.emit('queueChanged', { reason: 'upload' });
    t.flushTimers();
    await settle();
    expect(detailCalls()).toBe(afterFailure);
    t.dispose();
  });
});

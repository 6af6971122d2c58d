import { describe, expect, it } from 'vitest';
import type { Completion, Notice } from '../../../../common/api.ts';
import { createEventHub } from '../../../../main/engine/events.ts';
import { watchExceptionSpikes } from '../../../../main/engine/exception-alerts.ts';

const HOUR = 60 * 60_000;

function completion(batchId: string, final: number, exceptions: number, canceled: number): Completion {
  const counts = {
    complete: final - exceptions - canceled,
    inProgress: 0,
    queued: 0,
    archived: 0,
    archiving: 0,
  };
  return {
    batchId,
    workflowId: 'w',
    records: 1_000,
    results: final - exceptions - canceled,
    exceptions,
    canceled,
    final,
    percentFinal: final / 10,
    done: false,
    coming: 0,
    counts: { ...counts, adminReview: 0, content: 0, exceptions, canceled },
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('exception alerts', () => {
  it('notify and tell the window once per batch per hour, by the injected clock, with the batch named', async () => {
    const hub = createEventHub();
    let clock = 0;
    const notified: string[] = [];
    const notices: Notice[] = [];
    hub.on('notice', (notice) => notices.push(notice));
    const stop = watchExceptionSpikes({
      hub,
      now: () => clock,
      notify: (title, body) => notified.push(`${title} | ${body}`),
      batchName: async (c) => (c.batchId === 'a' ? 'Shelf A' : null),
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    hub.emit('batchCompletion', completion('a', 0, 0, 0));
    hub.emit('batchCompletion', completion('b', 0, 0, 0));
    hub.emit('batchCompletion', completion('a', 40, 6, 4));
    await settle();
    expect(notified).toEqual([
      'Exceptions are rising in Shelf A | 10 of the latest 40 records ended in exception or canceled (25%).',
    ]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('Shelf A') as string,
    });
    clock = HOUR - 1;
    hub.emit('batchCompletion', completion('a', 80, 26, 4));
    // Another batch is on its own: its spike alerts while a's hour is not over.
    hub.emit('batchCompletion', completion('b', 50, 20, 0));
    await settle();
    expect(notified).toHaveLength(2);
    expect(notified[1]).toMatch(/^Exceptions are rising in a batch \| 20 of the latest 50/);
    clock = HOUR;
    hub.emit('batchCompletion', completion('a', 120, 50, 4));
    await settle();
    expect(notified).toHaveLength(3);
    stop();
    clock = 10 * HOUR;
    hub.emit('batchCompletion', completion('a', 200, 120, 4));
    await settle();
    expect(notified).toHaveLength(3);
  });
});

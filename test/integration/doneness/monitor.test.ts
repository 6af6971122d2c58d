import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../main/alegion/errors.ts';
import { collect } from '../../../main/alegion/pagination.ts';
import { sameCompletion } from '../../../main/doneness/completion.ts';
import type { CompletionSnapshot } from '../../../main/doneness/completion.ts';
import { createDonenessMonitor } from '../../../main/doneness/monitor.ts';
import type { DonenessEvent } from '../../../main/doneness/monitor.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { clientFor } from '../client/helpers.ts';

// Seeded so that among 40 tasks some complete at once, some end canceled after an exception, and some are
// restarted after an exception and then complete.
const sandbox = useSandbox({ taskSeconds: 0.6, exceptionRate: 0.3, cancelRate: 0.5, seed: 21 });
const WORKFLOW = SANDBOX_WORKFLOWS.records;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every task of the batch is complete or canceled on the sandbox's side. */
async function settled(batchId: string): Promise<Record<string, number>> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const byStatus = sandbox().stats().recordsByBatch[batchId] ?? {};
    const open = Object.entries(byStatus).filter(
      ([status]) => status !== 'complete' && status !== 'canceled',
    );
    if (open.every(([, count]) => count === 0)) return byStatus;
    await sleep(50);
  }
  throw new Error('the sandbox did not settle the batch');
}

describe('doneness monitor against the sandbox', () => {
  it('reaches done on a batch ending in complete, exception-then-canceled and restarted tasks; numbers equal the stats', async () => {
    const client = clientFor(sandbox());
    const batch = await client.createBatch(WORKFLOW, { name: 'doneness', isEnabled: true });
    await client.importRecords(
      batch.id,
      Array.from({ length: 40 }, (_, index) => ({ data: { question: `q${index}` } })),
    );
    const monitor = createDonenessMonitor({ client, polling: { minMs: 150, maxMs: 600 } });
    const events: DonenessEvent[] = [];
    const done = new Promise<CompletionSnapshot>((resolve) => {
      monitor.subscribe((event) => {
        events.push(event);
        if (event.type === 'done') resolve(event.snapshot);
      });
    });
    monitor.track(WORKFLOW, batch.id);
    const firstDone = await done;
    expect(firstDone.done).toBe(true);
    expect(firstDone.results + firstDone.exceptionOrCanceled).toBeGreaterThanOrEqual(40);

    const byStatus = await settled(batch.id);
    await monitor.refresh(batch.id);
    const final = monitor.snapshot(batch.id);
    const stats = sandbox().stats();
    expect(final).toMatchObject({
      records: 40,
      results: stats.results,
      exceptionOrCanceled: byStatus.canceled ?? 0,
      final: 40,
      remaining: 0,
      percentFinal: 100,
      done: true,
    });
    expect((byStatus.complete ?? 0) + (byStatus.canceled ?? 0)).toBe(40);
    expect(final?.results).toBe(byStatus.complete);
    expect(final?.batchCounts).toMatchObject({
      complete: byStatus.complete,
      canceled: byStatus.canceled,
      queued: 0,
      inProgress: 0,
      exceptions: 0,
    });

    // All three endings occurred: canceled tasks, and results from first-time and restarted (iteration 1) tasks.
    const results = await collect(client.listBatchResults(batch.id));
    expect(byStatus.canceled).toBeGreaterThan(0);
    expect(results.filter((result) => result.iteration === 0).length).toBeGreaterThan(0);
    expect(results.filter((result) => result.iteration === 1).length).toBeGreaterThan(0);

    // Change events only on change: no two consecutive snapshots are the same.
    const changes = events.flatMap((event) => (event.type === 'change' ? [event.snapshot] : []));
    expect(changes.length).toBeGreaterThan(1);
    for (let index = 1; index < changes.length; index++) {
      expect(sameCompletion(changes[index - 1], changes[index] as CompletionSnapshot)).toBe(false);
    }
    monitor.stop();
    client.close();
  });

  it('reports an unknown batch as an error event and keeps no snapshot', async () => {
    const client = clientFor(sandbox());
    const monitor = createDonenessMonitor({ client, polling: { minMs: 100 } });
    const missing = '3c9fa471-882b-4d92-82d4-ece202606ba6';
    const error = new Promise<unknown>((resolve) => {
      monitor.subscribe((event) => {
        if (event.type === 'error') resolve(event.error);
      });
    });
    monitor.track(WORKFLOW, missing);
    const reported = await error;
    expect(reported).toBeInstanceOf(NotFoundError);
    expect((reported as Error).message).toBe(`batch ${missing} not found`);
    expect(monitor.snapshot(missing)).toBeUndefined();
    monitor.stop();
    client.close();
  });
});

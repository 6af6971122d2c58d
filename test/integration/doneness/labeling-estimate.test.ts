/**
 * The finish estimate against labelers working at a fixed rate (two at a time, 0.4 s a task: 5 records a second):
 * at half done, the finish it gives is within a fifth of the time that was actually left. The actual finish is
 * the sandbox's own record of it, the newest result's `createdAt`.
 */
import { describe, expect, it } from 'vitest';
import type { Completion } from '../../../common/api.ts';
import { collect } from '../../../main/alegion/pagination.ts';
import { createCompletionTracker } from '../../../main/engine/completion.ts';
import { createEventHub } from '../../../main/engine/events.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { clientFor } from '../client/helpers.ts';

const sandbox = useSandbox({ taskSeconds: 0.4, exceptionRate: 0, seed: 5 });
const WORKFLOW = SANDBOX_WORKFLOWS.records;
const RECORDS = 80;

describe('labeling estimate against the sandbox', () => {
  it('at half done, puts the finish within 20% of the time actually left', { timeout: 40_000 }, async () => {
    sandbox().setLabelers({ workers: 2 });
    const client = clientFor(sandbox());
    const hub = createEventHub();
    const tracker = createCompletionTracker(hub, () => {}, Date.now);
    try {
      tracker.setClient(client);
      const views: Completion[] = [];
      const done = new Promise<void>((resolve) => {
        hub.on('batchCompletion', (view) => {
          views.push(view);
          if (view.done) resolve();
        });
      });
      const batch = await client.createBatch(WORKFLOW, { name: 'steady team', isEnabled: true });
      await client.importRecords(
        batch.id,
        Array.from({ length: RECORDS }, (_, n) => ({ data: { question: `q${n}` } })),
      );
      await tracker.track(WORKFLOW, batch.id);
      await done;

      const waiting = views.filter((v) => v.estimate?.state === 'waiting');
      expect(waiting.some((v) => v.estimate?.state === 'waiting' && v.estimate.recordsNeeded > 0)).toBe(true);
      const half = views.find((v) => v.final >= RECORDS / 2);
      if (half?.estimate?.state !== 'ready') throw new Error(`no estimate at half done: ${JSON.stringify(half)}`);
      const results = await collect(client.listWorkflowResults(WORKFLOW, { batchIds: [batch.id] }));
      expect(results).toHaveLength(RECORDS);
      const actualFinish = Math.max(...results.map((r) => Date.parse(r.createdAt)));
      const halfAt = Date.parse(half.updatedAt);
      const actuallyLeft = actualFinish - halfAt;
      expect(actuallyLeft).toBeGreaterThan(0);
      const error = Math.abs(Date.parse(half.estimate.finishAt) - actualFinish);
      expect(error).toBeLessThanOrEqual(0.2 * actuallyLeft);
      // The rate it shows is the team's: 5 records a second.
      expect(half.estimate.perMinute).toBeGreaterThan(300 * 0.8);
      expect(half.estimate.perMinute).toBeLessThan(300 * 1.2);
      // Done: no estimate any more.
      expect(views[views.length - 1]?.estimate).toBeUndefined();
    } finally {
      tracker.close();
      await client.close();
    }
  });
});

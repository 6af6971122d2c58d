/** What the sandbox holds, for specs that compare it with what the app said. */
import type { RunningSandbox } from '../../../sandbox/server.ts';

/** Records in the batches made since `before` (batch ids then) was taken, as the sandbox counts them. */
export function recordsSince(sandbox: RunningSandbox, before: ReadonlySet<string>): number {
  return Object.entries(sandbox.stats().recordsByBatch)
    .filter(([id]) => !before.has(id))
    .reduce((sum, [, byStatus]) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
}

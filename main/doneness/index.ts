/** Batch completion as the hosts see it: reading a batch's counts, what they mean, and a monitor of changes. */
export { computeCompletion } from './completion.ts';
export type { CompletionSnapshot } from './completion.ts';
export { createDonenessMonitor } from './monitor.ts';
export { readCompletionCounts } from './probe.ts';

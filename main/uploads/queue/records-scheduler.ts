/**
 * When the queue posts records: closed assets wait a moment for company (a request carries up to 1,000), open
 * chunks (a request whose outcome was not seen) are reconciled first, and one target is worked at a time. A failure
 * becomes its consequence as in the rest of the queue: a global pause, waiting for the network, or a short backoff.
 */
import { RECORDS_PER_REQUEST } from '../../../common/alegion.ts';
import { classifyFailure } from './failures.ts';
import type { Connectivity } from './connectivity.ts';
import {
  ensureBatch,
  isBatchNotFound,
  postChunk,
  recheckRememberedBatch,
  reconcileChunk,
} from '../steps/records-step.ts';
import type { StepContext } from '../steps/step-context.ts';
import { openChunks, settleChunk } from '../journal/chunks.ts';
import { targetsWithPendingRecords } from '../journal/items.ts';
import { getTarget } from '../journal/targets.ts';

interface RecordsSchedulerOptions {
  ctx: StepContext;
  /** The server key whose records are posted (see RunnerOptions.server). */
  server: string;
  /** How long closed assets wait for company before their records are posted. */
  lingerMs: number;
  /** A failed post is tried again after twice this. */
  retryBaseMs: number;
  connectivity: Connectivity;
  /** True while the queue runs and is neither paused, blocked nor offline. */
  working: () => boolean;
  /** Stops the queue with a message the user must act on. */
  block: (message: string) => void;
  /** Items reached a final state. */
  settled: (ids: readonly number[]) => void;
  /** Something changed (the views are told; the queue looks for work). */
  changed: () => void;
}

export class RecordsScheduler {
  readonly #options: RecordsSchedulerOptions;
  readonly #busyTargets = new Set<number>();
  #timer: NodeJS.Timeout | null = null;
  /** The wait the timer was set for: a post already due at once is never put off. */
  #timerDelay = 0;
  #notBefore = 0;

  constructor(options: RecordsSchedulerOptions) {
    this.#options = options;
  }

  /** Targets whose records are being posted right now. */
  get busy(): number {
    return this.#busyTargets.size;
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * Posts soon what is ready: at once when a request would be full, or when nothing more of its target is on the
   * way (the last files closed: waiting would only delay the end) and its batch exists; after the linger otherwise.
   * `drained` says the queue has nothing in flight: only then is a wait already running looked at again (the
   * journal is read once per wait, not once per step).
   */
  schedule(drained = false): void {
    const { ctx, server } = this.#options;
    if (this.#timer && (this.#timerDelay === 0 || !drained)) return;
    const pending = targetsWithPendingRecords(ctx.journal, server);
    const open = openChunks(ctx.journal, server);
    if (pending.length === 0 && open.length === 0) return;
    // The last files' records go at once only into a batch that already exists: a new batch's first records still
    // wait the linger, so whoever follows the batch sees it empty before it fills and can tell when it got done.
    const lastOnes = (p: (typeof pending)[number]): boolean =>
      (drained || !p.moreComing) && Boolean(getTarget(ctx.journal, p.targetId)?.batchId);
    const now = open.length > 0 || pending.some((p) => p.count >= 1000 || lastOnes(p));
    const delay = Math.max(now ? 0 : this.#options.lingerMs, this.#notBefore - ctx.now());
    // A wait already running stands unless this post may go at once (the files it waited for have all come).
    if (this.#timer) {
      if (delay > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timerDelay = delay;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#flush();
    }, delay);
  }

  async #flush(): Promise<void> {
    const { ctx, server, working, settled, changed } = this.#options;
    if (!working()) return;
    const { journal } = ctx;
    for (const chunk of openChunks(journal, server)) {
      if (this.#busyTargets.has(chunk.targetId)) continue;
      await this.#withTarget(chunk.targetId, async () => {
        const settlement = await reconcileChunk(ctx, chunk);
        settleChunk(journal, chunk.id, settlement);
        settled(settlement.created.map((c) => c.itemId));
      });
    }
    for (const pending of targetsWithPendingRecords(journal, server)) {
      if (this.#busyTargets.has(pending.targetId)) continue;
      void this.#withTarget(pending.targetId, async () => {
        let target = getTarget(journal, pending.targetId);
        if (!target) return;
        let batchId = await ensureBatch(ctx, target);
        let rechecked = false;
        for (;;) {
          if (!working()) return;
          let ids: number[];
          try {
            ids = await postChunk(ctx, target, batchId, pending.kind);
          } catch (error) {
            // A remembered new batch gone from the server: made again when nothing of it was recorded yet.
            if (rechecked || !isBatchNotFound(error)) throw error;
            rechecked = true;
            target = await recheckRememberedBatch(ctx, target);
            if (target.batchId === batchId) throw error;
            batchId = await ensureBatch(ctx, target);
            continue;
          }
          if (ids.length === 0) return;
          settled(ids);
          changed();
          // A chunk short of full took all that was ready: the rest waits the linger for company again (or goes
          // at once when nothing more is coming), instead of one small request per round trip while files close
          // (2,000 files went out in 43 chunks, each with its count, against 3 this way).
          if (ids.length < RECORDS_PER_REQUEST) return;
        }
      });
    }
  }

  async #withTarget(targetId: number, task: () => Promise<void>): Promise<void> {
    this.#busyTargets.add(targetId);
    try {
      await task();
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'global') this.#options.block(failure.message);
      else if (failure.kind === 'network' && !(await this.#options.connectivity.check())) {
        // Offline: the records wait for the network like the uploads do.
      } else {
        this.#notBefore = this.#options.ctx.now() + this.#options.retryBaseMs * 2;
      }
    } finally {
      this.#busyTargets.delete(targetId);
      this.#options.changed();
    }
  }
}

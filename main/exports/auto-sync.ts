/**
 * Auto-sync: when new results show up in a batch it is switched on for, export just those ("since last export")
 * and download them, at most once every N minutes per batch. Signals that arrive while an export runs, or before
 * the interval is over, are folded into one later run, so a busy batch costs one export per interval.
 */

/** "This batch has new results." */
export interface NewResultsSignal {
  workflowId: string;
  batchId: string;
}

/** Anything that reports result counts per batch; the doneness monitor fits this shape. */
interface ResultCountSource {
  subscribe(
    listener: (event: {
      type: string;
      snapshot?: { workflowId: string; batchId: string; results: number };
    }) => void,
  ): () => void;
}

/** Clock and timers (the global ones by default), so tests can drive time. */
export interface AutoSyncClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type AutoSyncEvent =
  | { type: 'scheduled'; workflowId: string; batchId: string; at: number }
  | { type: 'started'; workflowId: string; batchId: string }
  | { type: 'finished'; workflowId: string; batchId: string; outcome: unknown }
  | { type: 'failed'; workflowId: string; batchId: string; error: unknown };

interface AutoSyncOptions {
  /** Least time between the starts of two exports of one batch (ms). */
  intervalMs: number;
  /** Creates and downloads an export of the batch's results since its last export. */
  runExport: (scope: NewResultsSignal, signal: AbortSignal) => Promise<unknown>;
  clock?: AutoSyncClock;
  onEvent?: (event: AutoSyncEvent) => void;
}

interface BatchSync {
  workflowId: string;
  batchId: string;
  lastStartedAt: number | undefined;
  /** New results were signalled and not yet exported. */
  pending: boolean;
  running: AbortController | undefined;
  timer: unknown;
  /** Last result count seen from a count source (to tell "new" from "unchanged"). */
  lastCount: number | undefined;
}

const GLOBAL_CLOCK: AutoSyncClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Per-batch auto-sync scheduler. */
export class AutoSync {
  readonly #batches = new Map<string, BatchSync>();
  readonly #runExport: AutoSyncOptions['runExport'];
  readonly #clock: AutoSyncClock;
  readonly #emit: (event: AutoSyncEvent) => void;
  readonly #idle = new Set<() => void>();
  #intervalMs: number;
  #unsubscribe: (() => void) | undefined;

  constructor(options: AutoSyncOptions) {
    this.#intervalMs = options.intervalMs;
    this.#runExport = options.runExport;
    this.#clock = options.clock ?? GLOBAL_CLOCK;
    this.#emit = options.onEvent ?? (() => undefined);
  }

  /** Switches auto-sync on for a batch. New results are those signalled from now on. */
  enable(workflowId: string, batchId: string): void {
    if (this.#batches.has(batchId)) return;
    this.#batches.set(batchId, {
      workflowId,
      batchId,
      lastStartedAt: undefined,
      pending: false,
      running: undefined,
      timer: undefined,
      lastCount: undefined,
    });
  }

  /** Switches it off: a waiting run is dropped and a running export is stopped (its download stays resumable). */
  disable(batchId: string): void {
    const sync = this.#batches.get(batchId);
    if (!sync) return;
    this.#batches.delete(batchId);
    if (sync.timer !== undefined) this.#clock.clearTimeout(sync.timer);
    sync.running?.abort();
  }

  /** The batches auto-sync is on for. */
  list(): NewResultsSignal[] {
    return [...this.#batches.values()].map(({ workflowId, batchId }) => ({ workflowId, batchId }));
  }

  /** Changes N; applies from the next scheduling decision. */
  setInterval(intervalMs: number): void {
    this.#intervalMs = intervalMs;
  }

  /** Signals new results in a batch (ignored unless auto-sync is on for it). */
  notify(signal: NewResultsSignal): void {
    const sync = this.#batches.get(signal.batchId);
    if (!sync) return;
    sync.pending = true;
    this.#schedule(sync);
  }

  /** Signals a batch's current result count; a count above the last one seen means new results. */
  observeResultCount(workflowId: string, batchId: string, results: number): void {
    const sync = this.#batches.get(batchId);
    if (!sync) return;
    const previous = sync.lastCount;
    sync.lastCount = results;
    if (results > 0 && (previous === undefined || results > previous)) this.notify({ workflowId, batchId });
  }

  /** Listens to a source of result counts (e.g. the doneness monitor) until `stop()`. */
  attach(source: ResultCountSource): void {
    this.#unsubscribe?.();
    this.#unsubscribe = source.subscribe((event) => {
      if (event.snapshot) {
        this.observeResultCount(event.snapshot.workflowId, event.snapshot.batchId, event.snapshot.results);
      }
    });
  }

  /** Resolves when no export is running or scheduled to start now (for orderly shutdown and tests). */
  whenIdle(): Promise<void> {
    if (![...this.#batches.values()].some((sync) => sync.running)) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** Stops everything: timers, the source subscription, running exports. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const batchId of [...this.#batches.keys()]) this.disable(batchId);
  }

  #schedule(sync: BatchSync): void {
    if (sync.running || sync.timer !== undefined || !sync.pending) return;
    const now = this.#clock.now();
    const due = sync.lastStartedAt === undefined ? now : sync.lastStartedAt + this.#intervalMs;
    if (due <= now) {
      void this.#run(sync);
      return;
    }
    this.#emit({ type: 'scheduled', workflowId: sync.workflowId, batchId: sync.batchId, at: due });
    sync.timer = this.#clock.setTimeout(() => {
      sync.timer = undefined;
      if (this.#batches.get(sync.batchId) === sync) this.#schedule(sync);
    }, due - now);
  }

  async #run(sync: BatchSync): Promise<void> {
    const scope = { workflowId: sync.workflowId, batchId: sync.batchId };
    const controller = new AbortController();
    sync.pending = false;
    sync.running = controller;
    sync.lastStartedAt = this.#clock.now();
    this.#emit({ type: 'started', ...scope });
    try {
      const outcome = await this.#runExport(scope, controller.signal);
      this.#emit({ type: 'finished', ...scope, outcome });
    } catch (error) {
      // What was not exported is still new: the next window tries again.
      if (!controller.signal.aborted) sync.pending = true;
      this.#emit({ type: 'failed', ...scope, error });
    } finally {
      sync.running = undefined;
    }
    if (this.#batches.get(sync.batchId) === sync) this.#schedule(sync);
    if (![...this.#batches.values()].some((s) => s.running)) {
      for (const resolve of this.#idle) resolve();
      this.#idle.clear();
    }
  }
}

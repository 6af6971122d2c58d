/**
 * The scheduler: pulls work from the journal (never holding more than the items in flight), runs intake checks,
 * uploads and records steps under their limits, and turns each error into its consequence: a global pause, the
 * offline state, a retry with backoff within the item's budget, or a failure of that item alone.
 */
import type { QueueMode } from '../../../common/api.ts';
import { AdaptiveConcurrency } from './adaptive-concurrency.ts';
import type { ConcurrencyCeilings } from './adaptive-concurrency.ts';
import { Connectivity } from './connectivity.ts';
import { classifyFailure } from './failures.ts';
import { RecordsScheduler } from './records-scheduler.ts';
import { probeItem } from '../steps/probe-step.ts';
import { uploadItem } from '../steps/upload-step.ts';
import { isTerminal, UPLOAD_STATES } from '../journal/item-types.ts';
import type { ItemRow, StoredState } from '../journal/item-types.ts';
import type { StepContext } from '../steps/step-context.ts';
import { addEvent, advanceItem, getItem, nextItemIds, nextItems, updateItem } from '../journal/items.ts';
import { getTarget } from '../journal/targets.ts';

/** Upload states, furthest along first: items already under way finish before new ones start. */
const UPLOAD_ORDER: readonly StoredState[] = [...UPLOAD_STATES].reverse();

/** Item ids read ahead in one query, so a step finishing does not send the scheduler back to the journal. */
const CANDIDATE_BATCH = 200;

export interface RunnerOptions {
  /**
   * The server and account the client talks to (see serverKey): one journal holds every profile's queue, and only
   * the items going to this one are worked, so a file never goes to another profile's server.
   */
  server: string;
  /** Files checked and probed at once (disk and CPU bound; goes on while offline). */
  probeConcurrency: number;
  /** Items under way beyond the PUT limit, so registering and closing overlap with transfers. */
  lookahead: number;
  /** The users' limits the concurrency adapts under (default: the limiters' sizes when the runner is made). */
  ceilings?: ConcurrencyCeilings;
  /** How often the concurrency is adapted (ms; default 500). */
  concurrencyIntervalMs?: number;
  maxAttempts: number;
  /** How long closed assets wait for company before their records are posted. */
  lingerMs: number;
  /** Backoff of a transient failure: base × 2^(attempt-1), capped. */
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * A command-line run: contact the API at start, and end the run (blocked, with a clear message) when its host name
   * does not resolve before it has answered once, instead of waiting offline for a mistyped host forever.
   */
  endWhenHostUnknown: boolean;
}

/** The per-item steps the runner schedules (the real ones, or fakes that test the scheduling alone). */
export interface ItemSteps {
  /**
   * Each resolves with the state it left the item in, when it knows it; otherwise (nothing written, or a step that
   * does not say) the runner reads the row to learn whether the item is settled.
   */
  probe: (...args: Parameters<typeof probeItem>) => Promise<StoredState | null | void>;
  upload: (...args: Parameters<typeof uploadItem>) => Promise<StoredState | void>;
}

const PIPELINE_STEPS: ItemSteps = { probe: probeItem, upload: uploadItem };

export interface RunnerHooks {
  /** Something in the queue changed (coalesce before telling the views). */
  changed: (reason: string) => void;
  /** Items reached a final state (for per-item reporting). */
  settled: (ids: readonly number[]) => void;
  modeChanged: (mode: QueueMode, message: string | null) => void;
}

export class QueueRunner {
  private readonly ctx: StepContext;
  private readonly options: RunnerOptions;
  private readonly hooks: RunnerHooks;
  readonly connectivity: Connectivity;
  private readonly probing = new Map<number, AbortController>();
  /** Run of each item in intake, for the run's record limit. */
  private readonly probingRun = new Map<number, number>();
  private readonly uploading = new Map<number, AbortController>();
  private readonly notBefore = new Map<number, number>();
  private readonly records: RecordsScheduler;
  /** How many PUTs (and API calls) are in flight, adapted to the link under the user's limits. */
  readonly concurrency: AdaptiveConcurrency;
  private heartbeat: NodeJS.Timeout | null = null;
  private running = false;
  private pausedAll = false;
  private blockedMessage: string | null = null;
  private lastMode: QueueMode = 'running';
  private pumping = false;
  /** Ids next in line for the upload step, in journal order; each is read again before it starts. */
  private candidates: number[] = [];
  /** The last read found every item there was, so an empty list means no work (until something changes). */
  private candidatesExhausted = false;
  private candidatesControls = -1;
  /**
   * The last intake pass found fewer queued files than it had room for: none wait for intake until something may
   * have queued more (anything but an upload finishing, which never does; the heartbeat looks again regardless).
   * Without it every finished upload asked the journal again for queued files long after the last was taken.
   */
  private queuedTaken = false;

  private readonly steps: ItemSteps;

  constructor(
    ctx: StepContext,
    options: RunnerOptions,
    hooks: RunnerHooks,
    probe: () => Promise<void>,
    steps: ItemSteps = PIPELINE_STEPS,
  ) {
    this.ctx = ctx;
    this.steps = steps;
    this.options = options;
    this.hooks = hooks;
    this.connectivity = new Connectivity({
      probe,
      onChange: (online) => {
        this.emitMode();
        this.dropCandidates();
        if (online) this.pump();
      },
      ...(options.endWhenHostUnknown ? { onHostNotFound: (message: string) => this.block(message) } : {}),
    });
    this.records = new RecordsScheduler({
      ctx,
      server: options.server,
      lingerMs: options.lingerMs,
      retryBaseMs: options.retryBaseMs,
      connectivity: this.connectivity,
      working: () => this.running && this.mode === 'running',
      block: (message) => this.block(message),
      settled: (ids) => this.hooks.settled(ids),
      changed: () => {
        this.hooks.changed('records');
        this.pump();
      },
    });
    // The limiters come with the user's limits: those are the ceilings the window adapts under.
    this.concurrency = new AdaptiveConcurrency({
      api: ctx.api,
      puts: ctx.puts,
      progress: ctx.progress,
      ceilings: options.ceilings ?? { api: ctx.api.size, put: ctx.puts.size },
      lookahead: options.lookahead,
      ...(options.concurrencyIntervalMs === undefined ? {} : { intervalMs: options.concurrencyIntervalMs }),
      onChange: () => this.pump(),
    });
  }

  /** The user changed their limits: the window adapts under the new ones. */
  setCeilings(ceilings: ConcurrencyCeilings): void {
    this.concurrency.setCeilings(ceilings);
    this.pump();
  }

  get mode(): QueueMode {
    if (this.blockedMessage) return 'blocked';
    if (this.pausedAll) return 'paused';
    if (!this.connectivity.online) return 'offline';
    return 'running';
  }

  get message(): string | null {
    if (this.blockedMessage) return this.blockedMessage;
    if (this.pausedAll) return 'paused';
    if (!this.connectivity.online) return 'offline: waiting for the network to come back';
    return null;
  }

  /** Items in flight (probing or uploading). */
  get inFlight(): number {
    return this.probing.size + this.uploading.size + this.records.busy;
  }

  /** When an item that failed a try is due to be tried again (epoch ms), while it waits for its backoff. */
  retryDue(id: number): number | undefined {
    return this.notBefore.get(id);
  }

  /** Tries an item gets before it fails for good. */
  get maxAttempts(): number {
    return this.options.maxAttempts;
  }

  /** Ids of the items whose upload step is running right now (the rest of the active states only wait). */
  uploadingIds(): number[] {
    return [...this.uploading.keys()];
  }

  start(): void {
    this.running = true;
    this.heartbeat = setInterval(() => {
      this.dropCandidates();
      this.pump();
    }, 1000);
    this.heartbeat.unref();
    this.concurrency.start();
    if (this.options.endWhenHostUnknown) void this.connectivity.check();
    this.pump();
  }

  /** Stops taking work and aborts what is in flight (its journal state is kept, to resume next time). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.records.stop();
    this.concurrency.stop();
    this.connectivity.stop();
    for (const controller of [...this.probing.values(), ...this.uploading.values()]) controller.abort();
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Pauses or resumes the whole queue (in-flight PUTs are aborted and start again from byte 0 on resume). */
  setPausedAll(paused: boolean): void {
    this.pausedAll = paused;
    if (paused) for (const controller of this.uploading.values()) controller.abort();
    if (!paused) this.blockedMessage = null;
    this.dropCandidates();
    this.emitMode();
    this.pump();
  }

  /** Aborts in-flight work of the given items (after a control changed them in the journal). */
  abortItems(ids: readonly number[] | undefined): void {
    const targets = ids ?? [...this.probing.keys(), ...this.uploading.keys()];
    for (const id of targets) {
      this.probing.get(id)?.abort();
      this.uploading.get(id)?.abort();
      this.notBefore.delete(id);
    }
    this.dropCandidates();
  }

  /**
   * Looks for work soon: many calls in one turn of the event loop make one pass over the journal. `mayHaveQueued`
   * is false only where no file can have become queued (an upload step ending).
   */
  pump(mayHaveQueued = true): void {
    if (mayHaveQueued) this.queuedTaken = false;
    if (!this.running || this.pumping) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      if (!this.running) return;
      try {
        this.fill();
      } catch (error) {
        this.handleGlobal(error);
      }
    });
  }

  private fill(): void {
    const { journal } = this.ctx;
    if (this.blockedMessage || this.pausedAll) return;
    const probeFree = this.options.probeConcurrency - this.probing.size;
    if (probeFree > 0 && !this.queuedTaken) {
      const queued = nextItems(
        journal,
        'file',
        ['queued'],
        probeFree,
        new Set(this.probing.keys()),
        this.options.server,
      );
      this.queuedTaken = queued.length < probeFree;
      for (const item of queued) {
        const starting = [...this.probingRun.values()].filter((runId) => runId === item.runId).length;
        if (this.ctx.recordLimits.admit(item, starting) === 'start') this.startProbe(item);
      }
    }
    if (!this.connectivity.online) return;
    const now = this.ctx.now();
    for (const [id, at] of this.notBefore) {
      if (at > now) continue;
      this.notBefore.delete(id);
      this.dropCandidates(); // a retry due goes back in line by its state, not behind the ids read ahead
    }
    const exclude = new Set([...this.uploading.keys(), ...this.notBefore.keys()]);
    const free = this.concurrency.underWay + this.options.lookahead - this.uploading.size;
    for (const item of this.nextUploads(free, exclude)) this.startUpload(item);
    if (this.running) this.records.schedule(this.uploading.size === 0 && this.probing.size === 0);
  }

  /** Forgets the ids read ahead: the next pass reads the journal again. */
  private dropCandidates(): void {
    this.candidates = [];
    this.candidatesExhausted = false;
  }

  /**
   * The next items for the upload step, furthest along first, from the ids read ahead (refilled by one read of
   * CANDIDATE_BATCH when they run short). Each row is read again, so an item paused, canceled or finished since
   * the read is left out.
   */
  private nextUploads(free: number, exclude: ReadonlySet<number>): ItemRow[] {
    const { journal } = this.ctx;
    if (free <= 0) return [];
    if (journal.controlsApplied !== this.candidatesControls) {
      this.candidatesControls = journal.controlsApplied;
      this.dropCandidates();
    }
    const picked: ItemRow[] = [];
    for (let pass = 0; pass < 2 && picked.length < free; pass++) {
      if (pass === 1) {
        if (this.candidatesExhausted) break;
        this.candidates = nextItemIds(
          journal,
          'file',
          UPLOAD_ORDER,
          CANDIDATE_BATCH,
          exclude,
          this.options.server,
        );
        this.candidatesExhausted = this.candidates.length < CANDIDATE_BATCH;
      }
      while (picked.length < free && this.candidates.length > 0) {
        const id = this.candidates.shift() as number;
        if (exclude.has(id) || this.uploading.has(id) || picked.some((p) => p.id === id)) continue;
        const item = getItem(journal, id);
        if (item && item.kind === 'file' && !item.paused && UPLOAD_ORDER.includes(item.state))
          picked.push(item);
      }
    }
    return picked;
  }

  private startProbe(item: ItemRow): void {
    const controller = new AbortController();
    this.probing.set(item.id, controller);
    this.probingRun.set(item.id, item.runId);
    const target = getTarget(this.ctx.journal, item.targetId);
    this.steps
      .probe(this.ctx, item, target)
      .then(
        (state) => {
          // Probed items are last in line; when the ids read ahead are all there is, this one joins at the end.
          if (this.candidatesExhausted) this.candidates.push(item.id);
          this.afterStep(item.id, state);
        },
        (error: unknown) => this.handleItemError(item.id, error),
      )
      .finally(() => {
        this.probing.delete(item.id);
        this.probingRun.delete(item.id);
        this.hooks.changed('probe');
        this.pump();
      });
  }

  private startUpload(item: ItemRow): void {
    const controller = new AbortController();
    this.uploading.set(item.id, controller);
    this.concurrency.noteUnderWay(this.uploading.size);
    this.steps
      .upload(this.ctx, item, controller.signal)
      .then(
        (state) => this.afterStep(item.id, state),
        (error: unknown) => this.handleItemError(item.id, error),
      )
      .finally(() => {
        this.uploading.delete(item.id);
        this.hooks.changed('upload');
        this.pump(false);
      });
  }

  /** Reports the item settled when the step left it in a final state (`state`, or else its row, says which). */
  private afterStep(id: number, state: StoredState | null | void): void {
    const now = state ?? getItem(this.ctx.journal, id)?.state;
    if (now !== undefined && isTerminal(now)) this.hooks.settled([id]);
  }

  private async handleItemError(id: number, error: unknown): Promise<void> {
    const failure = classifyFailure(error);
    if (failure.kind === 'aborted') return;
    if (failure.kind === 'global') return this.block(failure.message);
    if (failure.kind === 'network' && !(await this.connectivity.check())) return; // offline: no attempt used
    try {
      const item = getItem(this.ctx.journal, id);
      if (!item || isTerminal(item.state)) return;
      addEvent(this.ctx.journal, id, item.state, failure.message);
      const attempts = item.attempts + 1;
      if (failure.kind !== 'item' && attempts < this.options.maxAttempts) {
        updateItem(this.ctx.journal, id, { attempts });
        const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempts - 1));
        this.notBefore.set(id, this.ctx.now() + delay * (0.5 + Math.random() / 2));
        this.hooks.changed('retrying'); // the row says it waits to retry
        return;
      }
      const reason =
        failure.kind === 'item' ? failure.message : `${failure.message} (gave up after ${attempts} attempts)`;
      advanceItem(this.ctx.journal, id, { state: 'failed', reason, attempts, resumeState: item.state });
      this.hooks.settled([id]);
    } catch (journalError) {
      this.handleGlobal(journalError);
    }
  }

  private handleGlobal(error: unknown): void {
    const failure = classifyFailure(error);
    this.block(failure.kind === 'global' ? failure.message : `the upload queue stopped: ${failure.message}`);
  }

  private block(message: string): void {
    if (this.blockedMessage) return;
    this.blockedMessage = message;
    for (const controller of this.uploading.values()) controller.abort();
    this.emitMode();
  }

  private emitMode(): void {
    const mode = this.mode;
    if (mode === this.lastMode) return;
    this.lastMode = mode;
    this.hooks.modeChanged(mode, this.message);
  }
}

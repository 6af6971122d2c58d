/**
 * The upload engine as a plain TypeScript service: intake (files and records files) into the journal, the queue
 * view (paged, filtered and searched in SQL), totals and coalesced progress snapshots (at most 10 a second),
 * controls (pause, resume, cancel, retry; limits while running), and the runner that does the work. The app's
 * Engine, the headless host and the CLI all drive this one object.
 */
import { startHashWorker } from '../hashing/md5-worker.ts';
import type {
  AddRecordsResult,
  ItemState,
  ProgressSnapshot,
  QueueItemView,
  TransferView,
  BatchTransferView,
  QueueMode,
  QueuePage,
  QueueQuery,
  QueueTotals,
  UploadTarget,
} from '../../common/api.ts';
import type { ClientEvent } from '../alegion/types.ts';
import { applyControl } from './journal/controls.ts';
import type { ControlName } from './journal/controls.ts';
import { countItems } from './journal/queries.ts';
import { ProgressTracker } from './queue/progress.ts';
import { ContentDedupe } from './intake/content-dedupe.ts';
import { RecordLimits } from './record-limit.ts';
import { planUpload } from './intake/upload-plan.ts';
import type { PlanOptions, UploadPlan } from './intake/upload-plan.ts';
import { isOverloadRetry } from './queue/adaptive-concurrency.ts';
import type { QueueRunner } from './queue/queue-runner.ts';
import { ensureBatch, recheckRememberedBatch } from './steps/records-step.ts';
import { EtaEstimator } from './queue/eta.ts';
import { clearFinished, startWork, workFrom } from './journal/run-scope.ts';
import { openAddRun, queuePaths, queueRecordsFile, queueScanned } from './intake/upload-intake.ts';
import type { ScannedFiles } from './intake/upload-intake.ts';
import { itemView, queuePage, queueTotals } from './queue/queue-views.ts';
import { failedOfTransfer, listBatchTransfers, listTransfers } from './queue/queue-transfers.ts';
import type { ViewContext } from './queue/queue-views.ts';
import type {
  AddPathsOptions,
  AddPathsResult,
  IntakeContext,
  RecordsIntakeOptions,
} from './intake/upload-intake.ts';
import type { ItemRow } from './journal/item-types.ts';
import { openChunks } from './journal/chunks.ts';
import { getItem } from './journal/items.ts';
import { TransferLimits } from './upload-limits.ts';
import type { UploadLimits } from './upload-limits.ts';
import { ServiceEvents } from './service-events.ts';
import type { UploadServiceEvents } from './service-events.ts';
import { batchStepContext, createRunner, stepContext } from './service-wiring.ts';
import type { SharedParts, UploadServiceDeps } from './service-wiring.ts';
import { UploadJournalReads } from './upload-journal-reads.ts';
export { DEFAULT_LIMITS } from './upload-limits.ts';
export type { UploadServiceDeps } from './service-wiring.ts';

/** How a scan is queued: files seen before again or not, each content once or not, and a record limit. */
interface ScannedOptions {
  reupload: boolean;
  skipDuplicateContent: boolean;
  maxRecords: number | null;
}

export class UploadService extends UploadJournalReads {
  private readonly deps: UploadServiceDeps;
  private readonly parts: SharedParts;
  private readonly runner: QueueRunner;
  private readonly progress: ProgressTracker;
  private readonly limits: TransferLimits;
  private readonly recordLimits: RecordLimits;
  private readonly contentDedupe: ContentDedupe;
  private readonly events: ServiceEvents;
  private scopeRunId: number | undefined;
  private readonly eta = new EtaEstimator();

  constructor(deps: UploadServiceDeps) {
    super(deps);
    this.deps = deps;
    this.recordLimits = new RecordLimits(this.journal);
    this.contentDedupe = new ContentDedupe(this.journal);
    this.limits = new TransferLimits(deps.limits);
    this.progress = new ProgressTracker();
    this.events = new ServiceEvents(this.progress, () => this.snapshot());
    this.parts = {
      journal: this.journal,
      limits: this.limits,
      progress: this.progress,
      recordLimits: this.recordLimits,
      contentDedupe: this.contentDedupe,
      now: this.now,
    };
    this.runner = createRunner(deps, stepContext(deps, this.parts), this.server, {
      changed: (reason) => this.markChanged(reason),
      settled: (ids) => this.emitSettled(ids),
      modeChanged: () => this.onMode(),
    });
  }

  /** Starts working the queue (resuming whatever the journal holds) and emitting progress. */
  start(): void {
    startHashWorker();
    this.runner.start();
    this.events.start();
  }

  /** Stops work (in-flight steps resume next time from the journal) and closes the journal. */
  async stop(): Promise<void> {
    this.events.stop();
    await this.runner.stop();
    this.journal.close();
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof UploadServiceEvents>(
    event: E,
    listener: (payload: UploadServiceEvents[E]) => void,
  ): () => void {
    return this.events.on(event, listener);
  }

  // ── Intake ──────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Creates the target's batch now if it is new (so a wrong workflow shows at once); returns its id. A new batch
   * remembered from an earlier run is checked first: gone with nothing recorded, it is made again; gone with
   * records in it, this throws BatchGoneError.
   */
  async resolveBatch(target: UploadTarget): Promise<string> {
    const context = batchStepContext(this.deps, this.parts);
    const row = await recheckRememberedBatch(context, this.targetRow(target));
    return ensureBatch(context, row);
  }

  /**
   * Limits the records the run may create (null: no limit); items it held are weighed again. A rerun sets it again,
   * so a higher limit continues where the last one stopped.
   */
  limitRecords(runId: number, maxRecords: number | null): void {
    this.recordLimits.set(runId, maxRecords);
    this.runner.pump();
  }

  /**
   * The plan of uploading `paths` into the target (see upload-plan.ts), and where the records would go; creates
   * nothing here or on the platform.
   */
  async planUpload(
    paths: readonly string[],
    target: UploadTarget,
    options: Omit<PlanOptions, 'workflowId' | 'seenBefore' | 'maxFileBytes' | 'declaredKind'>,
  ): Promise<{ plan: UploadPlan; batch: { id: string | null; newName: string | null } }> {
    const plan = await planUpload(paths, {
      ...options,
      workflowId: target.workflowId,
      maxFileBytes: this.deps.maxFileBytes ?? 0,
      declaredKind: target.declaredKind ?? null,
      seenBefore: (file) => this.seenBefore(target.workflowId, file.path, file.size, file.mtimeMs),
    });
    return { plan, batch: this.plannedBatch(target) };
  }

  /** The host's view of the network changed (see Connectivity.hint). */
  networkHint(online: boolean): void {
    this.runner.connectivity.hint(online);
  }

  /** Uploads each content of the run once (files of identical bytes after the first are skipped), or not. */
  skipDuplicateContent(runId: number, on: boolean): void {
    this.contentDedupe.set(runId, on);
  }

  /** Items of the run waiting because its record limit is reached. */
  heldByRecordLimit(runId: number): number {
    return this.recordLimits.heldCount(runId);
  }

  /** Scopes totals and snapshots to one run (the CLI shows only its own files). */
  focusRun(runId: number | undefined): void {
    this.scopeRunId = runId;
  }

  /** Walks the paths and queues every regular file found, in transactions of a few hundred, yielding between. */
  async addPaths(
    paths: readonly string[],
    target: UploadTarget,
    options: AddPathsOptions = {},
  ): Promise<AddPathsResult> {
    return queuePaths(this.intake(), paths, this.targetRow(target), options);
  }

  /**
   * Queues the files a scan found, as it found them: a file gone since fails with its reason when it is checked,
   * and the files the scan left out are listed as skipped with theirs. One run: one add.
   */
  async addScanned(
    scanned: ScannedFiles,
    target: UploadTarget,
    options: ScannedOptions,
  ): Promise<AddPathsResult> {
    const row = this.targetRow(target);
    const intake = this.intake();
    const runId = openAddRun(intake);
    // Before the first file is queued: the runner may start on it at once.
    this.recordLimits.set(runId, options.maxRecords);
    this.contentDedupe.set(runId, options.skipDuplicateContent);
    return queueScanned(intake, scanned, row, options.reupload, runId);
  }

  /** Takes every add with nothing left to do and nothing failed out of the queue view; returns the files cleared. */
  clearFinished(): number {
    const cleared = clearFinished(this.journal, this.server);
    this.markChanged('cleared');
    return cleared;
  }

  /**
   * Validates a records file whole and queues the rows not imported into the batch before (all of them with
   * `reimport`; nothing when a line is wrong). Rows are remembered by content, nothing is written into them.
   */
  async addRecordsFile(
    path: string,
    target: UploadTarget,
    options: RecordsIntakeOptions = {},
  ): Promise<AddRecordsResult & { runId: number }> {
    return queueRecordsFile(this.intake(), path, () => this.targetRow(target), options);
  }

  private intake(): IntakeContext {
    return {
      journal: this.journal,
      now: this.now,
      server: this.server,
      startWork: (runId: number) => startWork(this.journal, this.server, runId),
      changed: () => this.markChanged('added'),
      pump: () => this.runner.pump(),
    };
  }

  // ── Views ───────────────────────────────────────────────────────────────────────────────────────────────

  /** One page of the queue, filtered and searched in SQL. */
  list(query: QueueQuery = {}): QueuePage {
    return queuePage(this.viewContext(), query);
  }

  /** The transfers (one per add) of the queue view, newest first, or the history of cleared ones. */
  transfers(history: boolean): TransferView[] {
    return listTransfers(this.viewContext(), this.server, history, (runId) => this.recordLimitOf(runId));
  }

  /** The run's record limit and the files it holds back, or null without a limit. */
  recordLimitOf(runId: number): TransferView['recordLimit'] {
    const maxRecords = this.recordLimits.limitOf(runId);
    return maxRecords === null ? null : { maxRecords, held: this.recordLimits.heldCount(runId) };
  }

  /** The transfers that fed a batch, newest first, cleared ones included. */
  batchTransfers(batchId: string): BatchTransferView[] {
    return listBatchTransfers(this.viewContext(), this.server, batchId, (runId) => this.recordLimitOf(runId));
  }

  /** Retries every failed file of one transfer. */
  async retryTransfer(runId: number): Promise<void> {
    const ids = failedOfTransfer({ journal: this.journal }, runId);
    if (ids.length > 0) await this.retry(ids);
  }

  view(item: ItemRow): QueueItemView {
    return itemView(this.viewContext(), item);
  }

  /** Totals by group, bytes, throughput, ETA and the queue's mode (counts come from the journal's count table). */
  totals(): QueueTotals {
    return queueTotals(this.viewContext());
  }

  private viewContext(): ViewContext {
    const scope = { server: this.server };
    return {
      journal: this.journal,
      progress: this.progress,
      mode: this.runner.mode,
      message: this.runner.message,
      // While a condition stops the queue (blocked, offline, paused): the items whose step still runs.
      stalled: this.runner.mode === 'running' ? undefined : { inFlight: this.runner.uploadingIds() },
      // A run in focus (the CLI's own) is both what is listed and what is counted.
      scope: this.scopeRunId === undefined ? scope : undefined,
      work: this.scopeRunId ?? { ...scope, fromRunId: workFrom(this.journal, this.server) },
      retryDue: (id) => this.runner.retryDue(id),
      maxAttempts: this.runner.maxAttempts,
      eta: this.eta,
      now: this.now,
    };
  }

  /** The current progress snapshot. */
  snapshot(): ProgressSnapshot {
    return {
      totals: this.totals(),
      active: this.progress.transfers().map((t) => ({ ...t, state: 'uploading' as ItemState })),
      at: this.now(),
    };
  }

  /** True when nothing of the scoped run (or the whole queue) is waiting or under way. */
  isSettled(): boolean {
    const { files } = countItems(this.journal, this.scopeRunId);
    return files.waiting + files.active === 0 && openChunks(this.journal).length === 0;
  }

  get mode(): QueueMode {
    return this.runner.mode;
  }

  get modeMessage(): string | null {
    return this.runner.message;
  }

  // ── Controls ────────────────────────────────────────────────────────────────────────────────────────────

  /** Pauses the given items, or the whole queue. */
  async pause(ids?: readonly number[]): Promise<void> {
    if (ids === undefined) return this.runner.setPausedAll(true);
    await this.control('pause', ids);
  }

  /** Resumes the given items, or the whole queue (clearing a global pause: the user says the cause is fixed). */
  async resume(ids?: readonly number[]): Promise<void> {
    if (ids === undefined) {
      await applyControl(this.journal, 'resume', undefined, this.now());
      this.runner.setPausedAll(false);
      this.markChanged('resumed');
      return;
    }
    await this.control('resume', ids);
  }

  /** Cancels the given items, or everything not finished; in-flight PUTs are aborted. */
  async cancel(ids?: readonly number[]): Promise<void> {
    await this.control('cancel', ids);
  }

  /** Retries the given failed items, or every failed item. */
  async retry(ids?: readonly number[]): Promise<void> {
    await this.control('retry', ids);
  }

  private async control(name: ControlName, ids: readonly number[] | undefined): Promise<void> {
    await applyControl(this.journal, name, ids, this.now());
    if (name === 'pause' || name === 'cancel') this.runner.abortItems(ids);
    this.markChanged(name);
    this.runner.pump();
  }

  /** Changes concurrency and bandwidth while running. */
  setLimits(patch: Partial<UploadLimits>): UploadLimits {
    const limits = this.limits.set(patch);
    this.runner.setCeilings({ api: limits.concurrency, put: limits.putConcurrency });
    this.runner.pump();
    return limits;
  }

  getLimits(): UploadLimits {
    return this.limits.get();
  }

  /** What the client reports (pass it as the client's `onEvent`): a retried 429 or 503 narrows the concurrency. */
  clientEvent(event: ClientEvent): void {
    if (isOverloadRetry(event)) this.runner.concurrency.overloaded();
  }

  // ── Events ──────────────────────────────────────────────────────────────────────────────────────────────

  private markChanged(reason: string): void {
    this.events.markChanged(reason);
  }

  private emitSettled(ids: readonly number[]): void {
    this.markChanged('settled');
    if (!this.events.listened('itemsSettled') || ids.length === 0) return;
    const views: QueueItemView[] = [];
    for (const id of ids) {
      const item = getItem(this.journal, id);
      if (item) views.push(this.view(item));
    }
    this.events.emit('itemsSettled', views);
  }

  // The queue's mode (and its message) is state that every presenter already shows from the totals: the app's
  // banner and status dot, the CLI's progress line and summary. A notice as well would say it twice.
  private onMode(): void {
    this.markChanged('mode');
  }
}

/** Opens the journal in the state directory and builds the service (throws JournalBusyError if one runs). */
export function createUploadService(deps: UploadServiceDeps): UploadService {
  return new UploadService(deps);
}

/**
 * The upload engine as a plain TypeScript service: intake (files and records files) into the journal, the queue
 * view (paged, filtered and searched in SQL), totals and coalesced progress snapshots (at most 10 a second),
 * controls (pause, resume, cancel, retry; limits while running), and the runner that does the work. The app's
 * Engine, the headless host and the CLI all drive this one object.
 */
import type {
  AddRecordsResult,
  ItemState,
  ItemThumbnail,
  WorkflowUse,
  Notice,
  ProgressSnapshot,
  QueueItemView,
  TransferView,
  BatchTransferView,
  QueueMode,
  QueuePage,
  QueueQuery,
  QueueTotals,
  RecordsPlan,
  UploadTarget,
} from '../../common/api.ts';
import type { AlegionClient, ClientEvent } from '../alegion/types.ts';
import { applyControl } from './journal/controls.ts';
import type { ControlName } from './journal/controls.ts';
import {
  countItems,
  itemHistory,
  latestUpload,
  pathsInTarget,
  runOutcome,
  uploadedSources,
} from './journal/queries.ts';
import { journalManifest } from './batch-manifest.ts';
import type { ManifestLine } from './batch-manifest.ts';
import type { HistoryEntry, RunOutcome, UploadedSource } from './journal/queries.ts';
import { openJournal } from './journal/journal.ts';
import type { Journal } from './journal/journal.ts';
import { Limiter, TokenBucket } from './queue/limits.ts';
import { openLinkVault } from './journal/link-vault.ts';
import { ProgressTracker } from './queue/progress.ts';
import { ContentDedupe } from './intake/content-dedupe.ts';
import { RecordLimits } from './record-limit.ts';
import { getTarget, knownNewBatch } from './journal/targets.ts';
import { planUpload } from './intake/upload-plan.ts';
import type { PlanOptions, UploadPlan } from './intake/upload-plan.ts';
import { isOverloadRetry } from './queue/adaptive-concurrency.ts';
import { QueueRunner } from './queue/queue-runner.ts';
import type { RunnerOptions } from './queue/queue-runner.ts';
import { ensureBatch, recheckRememberedBatch } from './steps/records-step.ts';
import { journalPathIn } from './journal/state-dir.ts';
import { EtaEstimator } from './queue/eta.ts';
import { clearFinished, startWork, workFrom, workflowUse } from './journal/run-scope.ts';
import {
  openAddRun,
  planRecordsFile,
  queuePaths,
  queueRecordsFile,
  queueScanned,
} from './intake/upload-intake.ts';
import type { ScannedFiles } from './intake/upload-intake.ts';
import { itemView, queuePage, queueTotals } from './queue/queue-views.ts';
import { failedOfTransfer, listBatchTransfers, listTransfers } from './queue/queue-transfers.ts';
import { itemThumbnail } from './queue/queue-thumbnail.ts';
import type { ViewContext } from './queue/queue-views.ts';
import type {
  AddPathsOptions,
  AddPathsResult,
  IntakeContext,
  RecordsIntakeOptions,
} from './intake/upload-intake.ts';
import type { RecordsReadOptions } from './intake/records-file.ts';
import type { ItemRow, TargetRow } from './journal/item-types.ts';
import { openChunks } from './journal/chunks.ts';
import { getItem } from './journal/items.ts';
import { ensureTarget, finishRun, openRun } from './journal/targets.ts';

export type { AddPathsResult } from './intake/upload-intake.ts';

/** How a scan is queued: files seen before again or not, each content once or not, and a record limit. */
export interface ScannedOptions {
  reupload: boolean;
  skipDuplicateContent: boolean;
  maxRecords: number | null;
}

/** Limits changeable while running. `bandwidthMBps` is in MB/s (10^6 bytes); 0 means unlimited. */
export interface UploadLimits {
  concurrency: number;
  putConcurrency: number;
  bandwidthMBps: number;
}

/**
 * The limits are ceilings: the queue adapts how many requests are in flight to the link under them (see
 * queue/adaptive-concurrency.ts). The defaults are high, so that a slow link full of small files is filled
 * (dozens of files in flight) without the user touching a setting; a fast local link stays lower by itself.
 */
export const DEFAULT_LIMITS: UploadLimits = { concurrency: 64, putConcurrency: 32, bandwidthMBps: 0 };

export interface UploadServiceDeps {
  client: AlegionClient;
  /** The username the client logs in as: with the API base URL it keys batch targets (never a secret). */
  account?: string;
  stateDir: string;
  limits?: Partial<UploadLimits>;
  /** A cheap request that succeeds when the API is reachable (default: one unauthenticated GET of the API). */
  probe?: () => Promise<void>;
  now?: () => number;
  /** Files larger than this fail with a reason (default 0: no limit). */
  maxFileBytes?: number;
  runner?: Partial<RunnerOptions>;
}

/** Events of the service, named as the contract's events where they match. */
export interface UploadServiceEvents {
  queueProgress: ProgressSnapshot;
  queueChanged: { reason: string };
  /** News for the user that no state carries (the queue's mode is not one: it is in the totals). */
  notice: Notice;
  /** Items that reached a final state: done, failed, canceled or skipped. */
  itemsSettled: QueueItemView[];
}

type Listener<T> = (payload: T) => void;

const SNAPSHOT_INTERVAL_MS = 100;

export class UploadService {
  // The journal is the service's own: hosts and the engine ask the service, so every write keeps its order.
  private readonly journal: Journal;
  private readonly deps: UploadServiceDeps;
  private readonly runner: QueueRunner;
  private readonly progress: ProgressTracker;
  private readonly api: Limiter;
  private readonly puts: Limiter;
  private readonly bucket: TokenBucket;
  private readonly recordLimits: RecordLimits;
  private readonly contentDedupe: ContentDedupe;
  private limits: UploadLimits;
  private readonly listeners = new Map<keyof UploadServiceEvents, Set<Listener<never>>>();
  private snapshotTimer: NodeJS.Timeout | null = null;
  private dirty = true;
  private changeReason: string | null = null;
  private scopeRunId: number | undefined;
  private readonly now: () => number;
  private readonly eta = new EtaEstimator();
  /** The server and account this service uploads to: batch targets and "seen before" are kept apart by it. */
  readonly server: string;

  constructor(deps: UploadServiceDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.server = serverKey(deps.client.baseUrl, deps.account);
    this.journal = openJournal(journalPathIn(deps.stateDir), this.now);
    this.recordLimits = new RecordLimits(this.journal);
    this.contentDedupe = new ContentDedupe(this.journal);
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.api = new Limiter(this.limits.concurrency);
    this.puts = new Limiter(this.limits.putConcurrency);
    this.bucket = new TokenBucket(this.limits.bandwidthMBps * 1e6);
    this.progress = new ProgressTracker();
    const ctx = {
      journal: this.journal,
      client: deps.client,
      api: this.api,
      puts: this.puts,
      bucket: this.bucket,
      vault: openLinkVault(deps.stateDir),
      progress: this.progress,
      now: this.now,
      maxFileBytes: deps.maxFileBytes ?? 0,
      signedUrlReuseMs: 50 * 60 * 1000,
      recordLimits: this.recordLimits,
      contentDedupe: this.contentDedupe,
    };
    // Any HTTP answer means the API is reachable (even a 403 for the missing key): one request, no retries, so the
    // queue notices the network's return within a probe interval.
    const probe =
      deps.probe ??
      (async () => {
        const response = await fetch(`${deps.client.baseUrl}/workflows?page=1&pageSize=1`, {
          signal: AbortSignal.timeout(5000),
        });
        await response.body?.cancel();
      });
    this.runner = new QueueRunner(
      ctx,
      {
        probeConcurrency: 4,
        lookahead: 4,
        maxAttempts: 8,
        lingerMs: 1000,
        retryBaseMs: 500,
        retryMaxMs: 15_000,
        endWhenHostUnknown: false,
        ...deps.runner,
        server: this.server,
      },
      {
        changed: (reason) => this.markChanged(reason),
        settled: (ids) => this.emitSettled(ids),
        modeChanged: () => this.onMode(),
      },
      probe,
    );
  }

  /** Starts working the queue (resuming whatever the journal holds) and emitting progress. */
  start(): void {
    this.runner.start();
    this.snapshotTimer = setInterval(() => this.tick(), SNAPSHOT_INTERVAL_MS);
    this.snapshotTimer.unref();
  }

  /** Stops work (in-flight steps resume next time from the journal) and closes the journal. */
  async stop(): Promise<void> {
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    await this.runner.stop();
    this.journal.close();
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof UploadServiceEvents>(event: E, listener: Listener<UploadServiceEvents[E]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  private emit<E extends keyof UploadServiceEvents>(event: E, payload: UploadServiceEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? [])
      (listener as Listener<UploadServiceEvents[E]>)(payload);
  }

  // ── Intake ──────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The journal's row for a target (a new batch is keyed by server, account, workflow and name, so it is created
   * only once on each server).
   */
  targetRow(target: UploadTarget): TargetRow {
    const spec = target.batchId
      ? { batchId: target.batchId }
      : { newBatchName: target.newBatch?.name ?? '', enabled: target.newBatch?.isEnabled ?? false };
    return ensureTarget(this.journal, target.workflowId, spec, target.declaredKind, this.server);
  }

  /**
   * Creates the target's batch now if it is new (so a wrong workflow shows at once); returns its id. A new batch
   * remembered from an earlier run is checked first: gone with nothing recorded, it is made again; gone with
   * records in it, this throws BatchGoneError.
   */
  async resolveBatch(target: UploadTarget): Promise<string> {
    const context = this.stepContextForBatch();
    const row = await recheckRememberedBatch(context, this.targetRow(target));
    return ensureBatch(context, row);
  }

  /** True when this file (same path, size and mtime) was uploaded before to the workflow on this server. */
  seenBefore(workflowId: string, path: string, size: number, mtimeMs: number): boolean {
    const row = this.journal
      .stmt(
        `SELECT i.size, i.mtime_ms FROM items i JOIN targets t ON t.id = i.target_id
         WHERE i.workflow_id = ? AND i.source_key = ? AND t.server = ? AND i.state = 'done' ORDER BY i.id DESC LIMIT 1`,
      )
      .get(workflowId, path, this.server) as { size: number; mtime_ms: number } | undefined;
    return row !== undefined && Number(row.size) === size && Number(row.mtime_ms) === mtimeMs;
  }

  /** The workflows this file (same path, size and mtime) was uploaded to on this server, as a rerun would see it. */
  uploadedTo(path: string, size: number, mtimeMs: number): string[] {
    // The latest entry of the file per workflow decides, as queuing decides (journal.insertFiles).
    const rows = this.journal
      .stmt(
        `SELECT i.workflow_id, i.state, i.size, i.mtime_ms FROM items i JOIN targets t ON t.id = i.target_id
         WHERE i.source_key = ? AND t.server = ? AND i.state NOT IN ('failed', 'canceled', 'skipped')
         ORDER BY i.id DESC`,
      )
      .all(path, this.server) as { workflow_id: string; state: string; size: number; mtime_ms: number }[];
    const seen = new Set<string>();
    const uploaded: string[] = [];
    for (const row of rows) {
      if (seen.has(row.workflow_id)) continue;
      seen.add(row.workflow_id);
      if (row.state === 'done' && Number(row.size) === size && Number(row.mtime_ms) === mtimeMs)
        uploaded.push(row.workflow_id);
    }
    return uploaded;
  }

  private stepContextForBatch(): Parameters<typeof ensureBatch>[0] {
    return {
      journal: this.journal,
      client: this.deps.client,
      api: this.api,
      puts: this.puts,
      bucket: this.bucket,
      vault: { seal: () => '', open: () => null },
      progress: this.progress,
      now: this.now,
      maxFileBytes: 0,
      signedUrlReuseMs: 0,
      recordLimits: this.recordLimits,
      contentDedupe: this.contentDedupe,
    };
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

  /** The batch an upload into the target would send its records to: its id when it exists, and a new name. */
  plannedBatch(target: UploadTarget): { id: string | null; newName: string | null } {
    const newName = target.newBatch?.name ?? null;
    const id =
      target.batchId ??
      (newName ? knownNewBatch(this.journal, this.server, target.workflowId, newName) : null);
    return { id, newName };
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

  /** Opens (or resumes, for the same key) an intake run; the CLI keys it by its arguments. */
  openRun(key: string): { id: number; resumed: boolean } {
    return openRun(this.journal, key);
  }

  /** Marks a run finished: the same command run again later starts afresh (and skips what was uploaded). */
  finishRun(runId: number): void {
    finishRun(this.journal, runId);
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

  /** What was uploaded to each workflow before on this server and account. */
  workflowUse(): WorkflowUse[] {
    return workflowUse(this.journal, this.server);
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

  /** What importing a records file into the target would do (rows, encoding, separator, rows imported before). */
  async planRecordsFile(
    path: string,
    target: UploadTarget,
    options: RecordsReadOptions = {},
  ): Promise<RecordsPlan> {
    return planRecordsFile(
      this.journal,
      path,
      {
        server: this.server,
        workflowId: target.workflowId,
        targetId: null,
        batchId: target.batchId ?? null,
        newBatchName: target.newBatch?.name ?? null,
      },
      options,
    );
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

  /** The preview of a queued image (see queue-thumbnail.ts). */
  thumbnail(id: number): Promise<ItemThumbnail> {
    return itemThumbnail(this.journal, this.server, id);
  }

  /** Retries every failed file of one transfer. */
  async retryTransfer(runId: number): Promise<void> {
    const ids = failedOfTransfer({ journal: this.journal }, runId);
    if (ids.length > 0) await this.retry(ids);
  }

  /** A queue item as the views see it. */
  /** What a run left for its summary (the CLI's end report), with at most `limit` failed and skipped items each. */
  runOutcome(runId: number, limit: number): RunOutcome {
    return runOutcome(this.journal, runId, limit);
  }

  /** One queued item as stored, its target and its latest history; undefined when it is gone. */
  itemRecord(
    id: number,
    historyLimit: number,
  ):
    | { item: ItemRow; target: TargetRow | undefined; history: { entries: HistoryEntry[]; total: number } }
    | undefined {
    const item = getItem(this.journal, id);
    if (!item) return undefined;
    return {
      item,
      target: getTarget(this.journal, item.targetId),
      history: itemHistory(this.journal, id, historyLimit),
    };
  }

  /** The files behind a batch's records and assets, as the journal sent them. */
  uploadedSources(
    batchId: string,
    recordIds: readonly string[],
    assetIds: readonly string[],
  ): UploadedSource[] {
    return uploadedSources(this.journal, batchId, recordIds, assetIds);
  }

  /** The paths among `paths` that the target already holds (queued or sent), so a rerun does not queue them twice. */
  pathsInTarget(target: UploadTarget, paths: readonly string[]): Set<string> {
    return pathsInTarget(this.journal, this.targetRow(target).id, paths);
  }

  /** The manifest lines of every file this journal sent into a batch (path, ids, when), for the batch view. */
  manifestLines(workflowId: string, batchId: string): ManifestLine[] {
    return journalManifest(this.journal.db, workflowId, batchId).lines;
  }

  /** The latest upload of a file to a workflow on this server, or null when it was never queued. */
  latestUpload(workflowId: string, path: string): ReturnType<typeof latestUpload> {
    return latestUpload(this.journal, workflowId, path, this.server);
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
    this.limits = { ...this.limits, ...patch };
    this.runner.setCeilings({ api: this.limits.concurrency, put: this.limits.putConcurrency });
    this.bucket.setRate(this.limits.bandwidthMBps * 1e6);
    this.runner.pump();
    return { ...this.limits };
  }

  getLimits(): UploadLimits {
    return { ...this.limits };
  }

  /** What the client reports (pass it as the client's `onEvent`): a retried 429 or 503 narrows the concurrency. */
  clientEvent(event: ClientEvent): void {
    if (isOverloadRetry(event)) this.runner.concurrency.overloaded();
  }

  // ── Events ──────────────────────────────────────────────────────────────────────────────────────────────

  private markChanged(reason: string): void {
    this.dirty = true;
    this.changeReason ??= reason;
  }

  private tick(): void {
    const active = this.progress.transfers().length > 0;
    if (!this.dirty && !active && this.progress.throughput === 0) return;
    this.dirty = false;
    this.progress.tick();
    if (this.changeReason) {
      this.emit('queueChanged', { reason: this.changeReason });
      this.changeReason = null;
    }
    this.emit('queueProgress', this.snapshot());
  }

  private emitSettled(ids: readonly number[]): void {
    this.markChanged('settled');
    if ((this.listeners.get('itemsSettled')?.size ?? 0) === 0 || ids.length === 0) return;
    const views: QueueItemView[] = [];
    for (const id of ids) {
      const item = getItem(this.journal, id);
      if (item) views.push(this.view(item));
    }
    this.emit('itemsSettled', views);
  }

  // The queue's mode (and its message) is state that every presenter already shows from the totals: the app's
  // banner and status dot, the CLI's progress line and summary. A notice as well would say it twice.
  private onMode(): void {
    this.markChanged('mode');
  }
}

/** The key of a server and account: the API base URL and the username (no secret), e.g. `ana@https://…/v1`. */
export function serverKey(baseUrl: string, account: string | undefined): string {
  return `${account ?? ''}@${baseUrl.replace(/\/+$/, '')}`;
}

/** Opens the journal in the state directory and builds the service (throws JournalBusyError if one runs). */
export function createUploadService(deps: UploadServiceDeps): UploadService {
  return new UploadService(deps);
}

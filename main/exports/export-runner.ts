/**
 * The export runner: creates an export on the platform, waits until it is ready (export-wait.ts), downloads it
 * with the resumable downloader, optionally extracts it, and moves the incremental-sync cursor forward. Each step
 * is recorded in the export store before it is taken, so a killed process, rerun with the same request (or
 * `resume(jobId)`), carries on where it stopped instead of starting over.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AlegionError } from '../alegion/errors.ts';
import type { AlegionClient } from '../alegion/types.ts';
import { ExportError } from './export-errors.ts';
import type { EmptyExport, ExportOutcome, ExportRunEvent } from './export-outcome.ts';
import { waitUntilReady } from './export-wait.ts';
import type { ExportPollOptions } from './export-wait.ts';
import { cursorAfter, planExport } from './export-plan.ts';
import { acquirePartLock } from './part-lock.ts';
import type { ExportRequest } from './export-plan.ts';
import type { ExportJob, ExportStore } from './export-store.ts';
import { discardPart, downloadResumable, isMd5Etag } from './resumable-download.ts';
import type { ResumableDownloadOptions } from './resumable-download.ts';
import { DEFAULT_EXTRACT_LIMITS, extractionFolderFor, extractZipSafely } from './safe-extract.ts';
import type { ExtractLimits } from './safe-extract.ts';

export { emptyMessage } from './export-outcome.ts';
export type { DownloadedExport, ExportOutcome, ExportRunEvent } from './export-outcome.ts';

/** The part of the client the runner needs. */
export type ExportClient = Pick<
  AlegionClient,
  'createExport' | 'getExport' | 'getExportDownloadUrl' | 'listWorkflowResults'
>;

export interface ExportRunnerOptions {
  client: ExportClient;
  store: ExportStore;
  onEvent?: (event: ExportRunEvent) => void;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  newJobId?: () => string;
  poll?: Partial<ExportPollOptions>;
  /** Tuning of the downloader (retries, timeouts, the storage GET). */
  download?: Pick<
    ResumableDownloadOptions,
    | 'maxAttemptsWithoutProgress'
    | 'retryBaseMs'
    | 'retryMaxMs'
    | 'idleTimeoutMs'
    | 'progressIntervalMs'
    | 'checkpointIntervalMs'
    | 'get'
  >;
  extractLimits?: ExtractLimits;
}

/** Errors after which the same job can never succeed: it is marked failed instead of left resumable. */
function isPermanent(error: unknown): boolean {
  if (error instanceof ExportError) {
    return ['export-failed', 'download-gone', 'integrity', 'unsafe-archive', 'archive-too-large'].includes(
      error.code,
    );
  }
  return error instanceof AlegionError && error.code === 'not-found';
}

/** The step a failed job is retried from. */
function retryStep(job: ExportJob): ExportJob['status'] {
  if (job.exportId === undefined) return 'creating';
  if (job.extract && existsSync(job.targetPath)) return 'extracting';
  return job.totalBytes === undefined ? 'generating' : 'downloading';
}

/** True when the final file exists with the recorded size and MD5 ETag, so downloading again is pointless. */
async function alreadyInPlace(job: ExportJob): Promise<boolean> {
  if (existsSync(job.partPath) || !existsSync(job.targetPath) || !isMd5Etag(job.etag)) return false;
  if ((await stat(job.targetPath)).size !== job.totalBytes) return false;
  const hash = createHash('md5');
  for await (const chunk of createReadStream(job.targetPath)) hash.update(chunk as Buffer);
  return hash.digest('hex') === job.etag.toLowerCase();
}

/** Runs exports from request to file on disk; one instance per store. */
export class ExportRunner {
  readonly #client: ExportClient;
  readonly #store: ExportStore;
  readonly #emit: (event: ExportRunEvent) => void;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #newJobId: () => string;
  readonly #poll: ExportPollOptions;
  readonly #download: ExportRunnerOptions['download'];
  readonly #extractLimits: ExtractLimits;

  constructor(options: ExportRunnerOptions) {
    this.#client = options.client;
    this.#store = options.store;
    this.#emit = options.onEvent ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.#newJobId = options.newJobId ?? randomUUID;
    this.#poll = { initialMs: 250, maxMs: 5000, lateShare: 0.05, timeoutMs: 30 * 60_000, ...options.poll };
    this.#download = options.download;
    this.#extractLimits = options.extractLimits ?? DEFAULT_EXTRACT_LIMITS;
  }

  /**
   * Exports what `request` asks for. If an earlier run of the same request was interrupted, its job is resumed
   * (same export, download continued from the `.part` file) instead of creating another export.
   */
  async run(request: ExportRequest, signal?: AbortSignal): Promise<ExportOutcome> {
    const { job, resumed } = await this.prepare(request);
    return this.#continue(job, resumed, signal);
  }

  /**
   * The first half of `run`: checks the request and records its job (or finds the unfinished job of the same
   * request), without talking to the platform. `execute` does the rest.
   */
  async prepare(request: ExportRequest): Promise<{ job: ExportJob; resumed: boolean }> {
    const since = request.sinceLast
      ? this.#store.sinceLastExport(request.workflowId, request.batchIds ?? [])
      : undefined;
    const plan = planExport(request, since, this.#now());
    const existing = this.#store.findResumable(plan.fingerprint);
    if (existing) return { job: existing, resumed: true };
    const targetPath = join(plan.outDir, plan.filename);
    const job = this.#store.insertJob({
      jobId: this.#newJobId(),
      workflowId: plan.workflowId,
      batchIds: plan.batchIds,
      fileType: plan.fileType,
      filename: plan.filename,
      minCreatedAt: plan.minCreatedAt,
      maxCreatedAt: plan.maxCreatedAt,
      fingerprint: plan.fingerprint,
      targetPath,
      partPath: `${targetPath}.part`,
      extract: plan.extract,
    });
    return { job, resumed: false };
  }

  /** The second half of `run`: takes a prepared (or recorded, unfinished) job to the end. */
  async execute(jobId: string, resumed: boolean, signal?: AbortSignal): Promise<ExportOutcome> {
    const job = this.#store.getJob(jobId);
    if (!job) throw new ExportError('invalid-request', `no export job ${jobId}`);
    return this.#continue(job, resumed, signal);
  }

  /** Picks up one recorded job where it stopped (after a restart, or to retry a failed download). */
  async resume(jobId: string, signal?: AbortSignal): Promise<ExportOutcome> {
    const job = this.#store.getJob(jobId);
    if (!job) throw new ExportError('invalid-request', `no export job ${jobId}`);
    if (job.status === 'done' || job.status === 'canceled') {
      throw new ExportError('invalid-request', `export job ${jobId} is already ${job.status}`);
    }
    // A failed job is retried from the step it failed in: the store still knows it.
    if (job.status === 'failed') this.#store.setStatus(jobId, retryStep(job));
    return this.#continue(this.#store.getJob(jobId) as ExportJob, true, signal);
  }

  /** Resumes every job left in flight, one after another; returns what each came to. */
  async resumeAll(signal?: AbortSignal): Promise<PromiseSettledResult<ExportOutcome>[]> {
    const outcomes: PromiseSettledResult<ExportOutcome>[] = [];
    for (const job of this.#store.listInFlight()) {
      if (signal?.aborted) break;
      outcomes.push(
        await this.#continue(job, true, signal).then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason: unknown) => ({ status: 'rejected', reason }) as const,
        ),
      );
    }
    return outcomes;
  }

  /** Gives a job up for good and removes its partial file. */
  async cancel(jobId: string): Promise<void> {
    const job = this.#store.getJob(jobId);
    if (!job || job.status === 'done') return;
    this.#store.setStatus(jobId, 'canceled');
    await discardPart(job.partPath);
    this.#changed(jobId, true);
  }

  /**
   * How many results an export of `request` would hold right now (the same filters, "since last" resolved from
   * the cursor), without creating anything: auto-sync asks this before it records a job.
   */
  async countResults(request: ExportRequest): Promise<number> {
    const since = request.sinceLast
      ? this.#store.sinceLastExport(request.workflowId, request.batchIds ?? [])
      : undefined;
    const plan = planExport(request, since, this.#now());
    return this.#countFor(plan);
  }

  async #countFor(
    scope: Pick<ExportJob, 'workflowId' | 'batchIds' | 'minCreatedAt' | 'maxCreatedAt'>,
  ): Promise<number> {
    return this.#client
      .listWorkflowResults(scope.workflowId, {
        ...(scope.batchIds.length === 0 ? {} : { batchIds: [...scope.batchIds] }),
        ...(scope.minCreatedAt === undefined ? {} : { minCreatedAt: scope.minCreatedAt }),
        ...(scope.maxCreatedAt === undefined ? {} : { maxCreatedAt: scope.maxCreatedAt }),
      })
      .count();
  }

  /** Ends a job that has no result to download: done, with no file, and the cursor where it was. */
  #finishEmpty(job: ExportJob, resumed: boolean): EmptyExport {
    this.#store.finishEmpty(job.jobId);
    const done = this.#changed(job.jobId, resumed);
    return {
      empty: true,
      job: done,
      path: undefined,
      minCreatedAt: done.minCreatedAt,
      cursorAt: this.#store.sinceLastExport(done.workflowId, done.batchIds),
      resumed,
    };
  }

  #changed(jobId: string, resumed: boolean): ExportJob {
    const job = this.#store.getJob(jobId) as ExportJob;
    this.#emit({ type: 'job', job, resumed });
    return job;
  }

  async #continue(start: ExportJob, resumed: boolean, signal?: AbortSignal): Promise<ExportOutcome> {
    await mkdir(dirname(start.partPath), { recursive: true });
    const release = await acquirePartLock(start.partPath);
    try {
      return await this.#work(start, resumed, signal);
    } finally {
      await release();
    }
  }

  async #work(start: ExportJob, resumed: boolean, signal?: AbortSignal): Promise<ExportOutcome> {
    const jobId = start.jobId;
    let job = start;
    this.#emit({ type: 'job', job, resumed });
    try {
      if (job.status === 'creating') {
        // Counting first is one cheap request; an export of nothing would only download an empty archive.
        if ((await this.#countFor(job)) === 0) return this.#finishEmpty(job, resumed);
        const created = await this.#client.createExport({
          fileType: job.fileType,
          filename: job.filename,
          workflowId: job.workflowId,
          ...(job.minCreatedAt === undefined ? {} : { minCreatedAt: job.minCreatedAt }),
          ...(job.maxCreatedAt === undefined ? {} : { maxCreatedAt: job.maxCreatedAt }),
          ...(job.batchIds.length === 0 ? {} : { batchIds: job.batchIds }),
        });
        this.#store.setExport(jobId, created.id, created.createdAt, created.recordResultCount);
        job = this.#changed(jobId, resumed);
        if (created.recordResultCount === 0) return this.#finishEmpty(job, resumed);
      }
      if (job.status === 'generating') {
        const ready = await waitUntilReady(
          {
            client: this.#client,
            poll: this.#poll,
            now: this.#now,
            sleep: this.#sleep,
            onWaiting: (exportId, status, waitedMs) =>
              this.#emit({ type: 'waiting', jobId, exportId, status, waitedMs }),
          },
          job.exportId as string,
          signal,
        );
        this.#store.setExport(
          jobId,
          ready.id,
          job.exportCreatedAt ?? ready.createdAt,
          ready.recordResultCount,
        );
        if (ready.recordResultCount === 0)
          return this.#finishEmpty(this.#store.getJob(jobId) as ExportJob, resumed);
        this.#store.setStatus(jobId, 'downloading');
        job = this.#changed(jobId, resumed);
      }
      let md5 = '';
      if (job.status === 'downloading' && (await alreadyInPlace(job))) {
        // The previous run renamed the file into place and stopped before recording it.
        md5 = job.etag ?? '';
        if (job.extract) this.#store.setStatus(jobId, 'extracting');
        job = this.#changed(jobId, resumed);
      } else if (job.status === 'downloading') {
        const exportId = job.exportId as string;
        const result = await downloadResumable({
          ...this.#download,
          getUrl: () => this.#client.getExportDownloadUrl(exportId),
          partPath: job.partPath,
          targetPath: job.targetPath,
          resume: { etag: job.etag, totalBytes: job.totalBytes },
          onCheckpoint: (checkpoint) => this.#store.saveCheckpoint(jobId, checkpoint),
          onEvent: (event) => this.#emit({ type: 'download', jobId, event }),
          now: this.#now,
          sleep: this.#sleep,
          ...(signal ? { signal } : {}),
        });
        md5 = result.md5;
        this.#store.saveCheckpoint(jobId, {
          bytes: result.bytes,
          totalBytes: result.bytes,
          etag: result.etag,
        });
        if (job.extract) this.#store.setStatus(jobId, 'extracting');
        job = this.#changed(jobId, resumed);
      }
      let extractedTo: string | undefined;
      if (job.status === 'extracting') {
        const folder = extractionFolderFor(job.targetPath);
        try {
          const extracted = await extractZipSafely(job.targetPath, folder, this.#extractLimits);
          this.#emit({ type: 'extracted', jobId, result: extracted });
        } catch (error) {
          // A previous run of this job got as far as renaming the extracted folder into place (its name is this
          // export's own), then stopped before recording it.
          if (!(resumed && error instanceof ExportError && error.code === 'target-exists')) throw error;
        }
        this.#store.setExtractedTo(jobId, folder);
        extractedTo = folder;
      }
      const cursorAt = cursorAfter(job.exportCreatedAt as string, job.maxCreatedAt);
      this.#store.completeJob(jobId, cursorAt);
      job = this.#changed(jobId, resumed);
      return {
        empty: false,
        job,
        path: job.targetPath,
        bytes: job.totalBytes ?? job.bytes,
        md5: md5 || (job.etag ?? ''),
        extractedTo,
        minCreatedAt: job.minCreatedAt,
        cursorAt,
        resumed,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const current = this.#store.getJob(jobId);
      if (isPermanent(error)) {
        this.#store.setStatus(jobId, 'failed', message);
        if (error instanceof ExportError && error.code === 'integrity') await discardPart(job.partPath);
      } else if (current) {
        // Interrupted (canceled, offline, gave up for now): stays resumable, with the reason noted.
        this.#store.setStatus(jobId, current.status, message);
      }
      this.#changed(jobId, resumed);
      throw error;
    }
  }
}

/**
 * What the upload service answers from its journal alone, without the runner: the target rows and batches of
 * upload targets, what was uploaded before, the runs, and what the views and reports read of items and batches.
 * The service builds on it; the journal stays the service's own.
 */
import type { ItemThumbnail, RecordsPlan, UploadTarget, WorkflowUse } from '../../common/api.ts';
import { journalManifest } from './batch-manifest.ts';
import type { ManifestLine } from './batch-manifest.ts';
import { planRecordsFile } from './intake/upload-intake.ts';
import type { RecordsReadOptions } from './intake/records-file.ts';
import type { ItemRow, TargetRow } from './journal/item-types.ts';
import { getItem } from './journal/items.ts';
import { openJournal } from './journal/journal.ts';
import type { Journal } from './journal/journal.ts';
import { itemHistory, latestUpload, pathsInTarget, runOutcome, uploadedSources } from './journal/queries.ts';
import type { HistoryEntry, RunOutcome, UploadedSource } from './journal/queries.ts';
import { workflowUse } from './journal/run-scope.ts';
import { journalPathIn } from './journal/state-dir.ts';
import { ensureTarget, finishRun, getTarget, knownNewBatch, openRun } from './journal/targets.ts';
import { itemThumbnail } from './queue/queue-thumbnail.ts';
import { serverKey } from './server-key.ts';
import type { UploadServiceDeps } from './service-wiring.ts';

export class UploadJournalReads {
  // The journal is the service's own: hosts and the engine ask the service, so every write keeps its order.
  protected readonly journal: Journal;
  protected readonly now: () => number;
  /** The server and account this service uploads to: batch targets and "seen before" are kept apart by it. */
  readonly server: string;

  /** Opens the journal in the state directory (throws JournalBusyError if another uploader holds it). */
  constructor(deps: UploadServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.server = serverKey(deps.client.baseUrl, deps.account);
    this.journal = openJournal(journalPathIn(deps.stateDir), this.now);
  }

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

  /** The batch an upload into the target would send its records to: its id when it exists, and a new name. */
  plannedBatch(target: UploadTarget): { id: string | null; newName: string | null } {
    const newName = target.newBatch?.name ?? null;
    const id =
      target.batchId ??
      (newName ? knownNewBatch(this.journal, this.server, target.workflowId, newName) : null);
    return { id, newName };
  }

  /** Opens (or resumes, for the same key) an intake run; the CLI keys it by its arguments. */
  openRun(key: string): { id: number; resumed: boolean } {
    return openRun(this.journal, key);
  }

  /** Marks a run finished: the same command run again later starts afresh (and skips what was uploaded). */
  finishRun(runId: number): void {
    finishRun(this.journal, runId);
  }

  /** What was uploaded to each workflow before on this server and account. */
  workflowUse(): WorkflowUse[] {
    return workflowUse(this.journal, this.server);
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

  /** The preview of a queued image (see queue-thumbnail.ts). */
  thumbnail(id: number): Promise<ItemThumbnail> {
    return itemThumbnail(this.journal, this.server, id);
  }

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
}

/**
 * The export bookkeeping on disk (node:sqlite, WAL): exports in flight, so that a download survives a restart of
 * the process, and the incremental-sync cursors (the `createdAt` of the last completed export per workflow and per
 * batch), so that "new since last export" can be asked for with `minCreatedAt`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ExportFileType } from '../../common/alegion.ts';

/** File name of the export database inside the state directory. */
export const EXPORT_STORE_FILE = 'exports.sqlite';

/** Where an export job stands: the contract's own statuses. */
import type { ExportJobStatus } from '../../common/api.ts';
/** Statuses a later run picks up again. */
const RESUMABLE = `('creating', 'generating', 'downloading', 'extracting')`;

/** One export the app asked for, from creation to the file in place. */
export interface ExportJob {
  /** Local id of the job (the export id is known only once the server created it). */
  jobId: string;
  exportId: string | undefined;
  workflowId: string;
  batchIds: string[];
  fileType: ExportFileType;
  filename: string;
  minCreatedAt: string | undefined;
  maxCreatedAt: string | undefined;
  /** Identifies "the same request" across runs, so a rerun resumes instead of creating another export. */
  fingerprint: string;
  targetPath: string;
  partPath: string;
  extract: boolean;
  /** The server's `createdAt` of the export: the next incremental export starts there. */
  exportCreatedAt: string | undefined;
  recordResultCount: number | undefined;
  extractedTo: string | undefined;
  bytes: number;
  totalBytes: number | undefined;
  etag: string | undefined;
  status: ExportJobStatus;
  error: string | undefined;
  /** Local clock, ms since the epoch. */
  createdAt: number;
  updatedAt: number;
}

/** What a job is made of when it is first recorded. */
export type NewExportJob = Pick<
  ExportJob,
  | 'jobId'
  | 'workflowId'
  | 'batchIds'
  | 'fileType'
  | 'filename'
  | 'minCreatedAt'
  | 'maxCreatedAt'
  | 'fingerprint'
  | 'targetPath'
  | 'partPath'
  | 'extract'
>;

/** What the downloader checkpoints while it runs. */
export interface DownloadCheckpoint {
  bytes: number;
  totalBytes: number | undefined;
  etag: string | undefined;
}

/** An incremental-sync cursor: the `createdAt` of the last completed export covering that scope. */
interface SyncCursor {
  workflowId: string;
  /** Empty string: the whole workflow. */
  batchId: string;
  lastCreatedAt: string;
  exportId: string;
}

interface JobRow {
  job_id: string;
  export_id: string | null;
  workflow_id: string;
  batch_ids: string;
  file_type: string;
  filename: string;
  min_created_at: string | null;
  max_created_at: string | null;
  fingerprint: string;
  target_path: string;
  part_path: string;
  extract: number;
  export_created_at: string | null;
  record_result_count: number | null;
  extracted_to: string | null;
  bytes: number;
  total_bytes: number | null;
  etag: string | null;
  status: string;
  error: string | null;
  created_at: number;
  updated_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS export_jobs (
  job_id TEXT PRIMARY KEY,
  export_id TEXT,
  workflow_id TEXT NOT NULL,
  batch_ids TEXT NOT NULL,
  file_type TEXT NOT NULL,
  filename TEXT NOT NULL,
  min_created_at TEXT,
  max_created_at TEXT,
  fingerprint TEXT NOT NULL,
  target_path TEXT NOT NULL,
  part_path TEXT NOT NULL,
  extract INTEGER NOT NULL,
  export_created_at TEXT,
  record_result_count INTEGER,
  extracted_to TEXT,
  bytes INTEGER NOT NULL DEFAULT 0,
  total_bytes INTEGER,
  etag TEXT,
  status TEXT NOT NULL,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS export_jobs_by_fingerprint ON export_jobs (fingerprint, status);
CREATE TABLE IF NOT EXISTS sync_cursors (
  workflow_id TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  last_created_at TEXT NOT NULL,
  export_id TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, batch_id)
);
CREATE TABLE IF NOT EXISTS auto_sync (
  batch_id TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`;

function toJob(row: JobRow): ExportJob {
  return {
    jobId: row.job_id,
    exportId: row.export_id ?? undefined,
    workflowId: row.workflow_id,
    batchIds: JSON.parse(row.batch_ids) as string[],
    fileType: row.file_type === 'json' ? 'json' : 'zip',
    filename: row.filename,
    minCreatedAt: row.min_created_at ?? undefined,
    maxCreatedAt: row.max_created_at ?? undefined,
    fingerprint: row.fingerprint,
    targetPath: row.target_path,
    partPath: row.part_path,
    extract: row.extract !== 0,
    exportCreatedAt: row.export_created_at ?? undefined,
    recordResultCount: row.record_result_count ?? undefined,
    extractedTo: row.extracted_to ?? undefined,
    bytes: row.bytes,
    totalBytes: row.total_bytes ?? undefined,
    etag: row.etag ?? undefined,
    status: row.status as ExportJobStatus,
    error: row.error ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Later of two ISO timestamps (compared as instants, not as strings: precision varies). */
function laterOf(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The export database. Synchronous (node:sqlite): every call is a short local transaction. */
export class ExportStore {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #now: () => number;

  constructor(path: string, now: () => number = Date.now) {
    this.path = path;
    this.#now = now;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.#db.exec(SCHEMA);
  }

  /** Records a job before its export is created on the server (so a crash is never a forgotten export). */
  insertJob(job: NewExportJob): ExportJob {
    const now = this.#now();
    this.#db
      .prepare(
        `INSERT INTO export_jobs (job_id, workflow_id, batch_ids, file_type, filename, min_created_at,
          max_created_at, fingerprint, target_path, part_path, extract, status, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'creating', ?, ?)`,
      )
      .run(
        job.jobId,
        job.workflowId,
        JSON.stringify(job.batchIds),
        job.fileType,
        job.filename,
        job.minCreatedAt ?? null,
        job.maxCreatedAt ?? null,
        job.fingerprint,
        job.targetPath,
        job.partPath,
        job.extract ? 1 : 0,
        now,
        now,
      );
    return this.getJob(job.jobId) as ExportJob;
  }

  /** Notes the export the server created for a job. */
  setExport(jobId: string, exportId: string, exportCreatedAt: string, recordResultCount: number): void {
    this.#db
      .prepare(
        `UPDATE export_jobs SET export_id = ?, export_created_at = ?, record_result_count = ?, status = 'generating',
          updated_at = ? WHERE job_id = ?`,
      )
      .run(exportId, exportCreatedAt, recordResultCount, this.#now(), jobId);
  }

  /** One job by its id. */
  getJob(jobId: string): ExportJob | undefined {
    const row = this.#db.prepare('SELECT * FROM export_jobs WHERE job_id = ?').get(jobId) as
      JobRow | undefined;
    return row ? toJob(row) : undefined;
  }

  /** The newest unfinished job for the same request, if a previous run left one. */
  findResumable(fingerprint: string): ExportJob | undefined {
    const row = this.#db
      .prepare(
        `SELECT * FROM export_jobs WHERE fingerprint = ? AND status IN ${RESUMABLE}
         ORDER BY created_at DESC LIMIT 1`,
      )
      .get(fingerprint) as JobRow | undefined;
    return row ? toJob(row) : undefined;
  }

  /** Every unfinished job, oldest first (what to resume after a restart). */
  listInFlight(): ExportJob[] {
    const rows = this.#db
      .prepare(`SELECT * FROM export_jobs WHERE status IN ${RESUMABLE} ORDER BY created_at ASC`)
      .all() as unknown as JobRow[];
    return rows.map(toJob);
  }

  /** The newest jobs first, for a listing. */
  listRecent(limit = 100): ExportJob[] {
    const rows = this.#db
      .prepare('SELECT * FROM export_jobs ORDER BY created_at DESC LIMIT ?')
      .all(limit) as unknown as JobRow[];
    return rows.map(toJob);
  }

  /** Moves a job to another status; `error` records why it failed or why the last attempt stopped. */
  setStatus(jobId: string, status: ExportJobStatus, error?: string): void {
    this.#db
      .prepare('UPDATE export_jobs SET status = ?, error = ?, updated_at = ? WHERE job_id = ?')
      .run(status, error ?? null, this.#now(), jobId);
  }

  /** Marks a job done with no result and no file; the cursors stay where they are (nothing new was fetched). */
  finishEmpty(jobId: string): void {
    this.#db
      .prepare(
        `UPDATE export_jobs SET status = 'done', record_result_count = 0, error = NULL, updated_at = ?
         WHERE job_id = ?`,
      )
      .run(this.#now(), jobId);
  }

  /** Notes where the archive was extracted. */
  setExtractedTo(jobId: string, folder: string): void {
    this.#db
      .prepare('UPDATE export_jobs SET extracted_to = ?, updated_at = ? WHERE job_id = ?')
      .run(folder, this.#now(), jobId);
  }

  /** Saves how far the download got (the .part file itself is the truth; this keeps its size and ETag). */
  saveCheckpoint(jobId: string, checkpoint: DownloadCheckpoint): void {
    this.#db
      .prepare('UPDATE export_jobs SET bytes = ?, total_bytes = ?, etag = ?, updated_at = ? WHERE job_id = ?')
      .run(checkpoint.bytes, checkpoint.totalBytes ?? null, checkpoint.etag ?? null, this.#now(), jobId);
  }

  /**
   * Marks the job done and moves the cursors of its scope forward to `cursorAt`, in one transaction: a crash never
   * leaves a finished export whose results the next incremental export would fetch again (or skip).
   */
  completeJob(jobId: string, cursorAt: string): void {
    const job = this.getJob(jobId);
    if (!job?.exportId) throw new Error(`export job ${jobId} has no export to complete`);
    const exportId = job.exportId;
    const scopes = job.batchIds.length > 0 ? job.batchIds : [''];
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const batchId of scopes) this.#advanceCursor(job.workflowId, batchId, cursorAt, exportId);
      this.setStatus(jobId, 'done');
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #advanceCursor(workflowId: string, batchId: string, at: string, exportId: string): void {
    const current = this.getCursor(workflowId, batchId);
    if (current && laterOf(current.lastCreatedAt, at) === current.lastCreatedAt) return;
    this.#db
      .prepare(
        `INSERT INTO sync_cursors (workflow_id, batch_id, last_created_at, export_id, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (workflow_id, batch_id) DO UPDATE SET last_created_at = excluded.last_created_at,
           export_id = excluded.export_id, updated_at = excluded.updated_at`,
      )
      .run(workflowId, batchId, at, exportId, this.#now());
  }

  /** The cursor of one scope (`batchId` empty or omitted: the whole workflow). */
  getCursor(workflowId: string, batchId = ''): SyncCursor | undefined {
    const row = this.#db
      .prepare('SELECT * FROM sync_cursors WHERE workflow_id = ? AND batch_id = ?')
      .get(workflowId, batchId) as
      { workflow_id: string; batch_id: string; last_created_at: string; export_id: string } | undefined;
    return row
      ? {
          workflowId: row.workflow_id,
          batchId: row.batch_id,
          lastCreatedAt: row.last_created_at,
          exportId: row.export_id,
        }
      : undefined;
  }

  /**
   * The `minCreatedAt` for "everything new since the last export" of these batches (or of the whole workflow):
   * a whole-workflow export covers every batch, so a batch's cursor is the later of its own and the workflow's;
   * across several batches the earliest wins, so that nothing new in any of them is skipped. Undefined when some
   * scope was never exported.
   */
  sinceLastExport(workflowId: string, batchIds: readonly string[] = []): string | undefined {
    const workflowCursor = this.getCursor(workflowId)?.lastCreatedAt;
    if (batchIds.length === 0) return workflowCursor;
    let earliest: string | undefined;
    for (const batchId of batchIds) {
      const own = this.getCursor(workflowId, batchId)?.lastCreatedAt;
      const cursor = own && workflowCursor ? laterOf(own, workflowCursor) : (own ?? workflowCursor);
      if (cursor === undefined) return undefined;
      earliest = earliest === undefined || Date.parse(cursor) < Date.parse(earliest) ? cursor : earliest;
    }
    return earliest;
  }

  /** Switches auto-sync on or off for a batch (remembered across restarts). */
  setAutoSync(workflowId: string, batchId: string, enabled: boolean): void {
    if (enabled) {
      this.#db
        .prepare('INSERT OR REPLACE INTO auto_sync (batch_id, workflow_id, created_at) VALUES (?, ?, ?)')
        .run(batchId, workflowId, this.#now());
    } else {
      this.#db.prepare('DELETE FROM auto_sync WHERE batch_id = ?').run(batchId);
    }
  }

  /** The batches auto-sync is on for, oldest first. */
  listAutoSync(): { workflowId: string; batchId: string }[] {
    const rows = this.#db
      .prepare('SELECT workflow_id, batch_id FROM auto_sync ORDER BY created_at ASC')
      .all() as unknown as { workflow_id: string; batch_id: string }[];
    return rows.map((row) => ({ workflowId: row.workflow_id, batchId: row.batch_id }));
  }

  /** Closes the database. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

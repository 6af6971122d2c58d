/**
 * The renderer's view of an export job (`ExportJobView` of the contract), from the stored job and the live
 * progress of its download.
 */
import type { ExportJobView } from '../../common/api.ts';
import type { ExportJob } from './export-store.ts';
import type { DownloadProgress } from './resumable-download.ts';

/** True for a job that finished with no result, so nothing was downloaded. */
function isEmptyJob(job: ExportJob): boolean {
  return job.status === 'done' && job.recordResultCount === 0 && job.totalBytes === undefined;
}

/** Maps a stored job, and its live progress when it is downloading, to the contract's view. */
export function toJobView(job: ExportJob, progress?: DownloadProgress): ExportJobView {
  return {
    id: job.jobId,
    workflowId: job.workflowId,
    batchIds: job.batchIds,
    filename: job.filename,
    format: job.fileType,
    status: job.status,
    recordResultCount: job.recordResultCount ?? null,
    bytes: progress?.bytes ?? job.bytes,
    totalBytes: progress?.totalBytes ?? job.totalBytes ?? null,
    throughput: progress?.bytesPerSecond ?? 0,
    etaSeconds: progress?.etaSeconds ?? null,
    // A job that ended with no result downloaded nothing: there is no file to show.
    path: job.status === 'done' && !isEmptyJob(job) ? job.targetPath : null,
    extractedTo: job.extractedTo ?? null,
    error: job.error ?? null,
    createdAt: new Date(job.createdAt).toISOString(),
  };
}

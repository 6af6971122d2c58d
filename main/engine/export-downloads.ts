/**
 * An export's files offered for download (the browser host): the archive the export service downloaded, or a
 * file of the folder it extracted, checked against the export's own record — a finished job, its path, and a file
 * inside its extracted folder — before it is registered in the saved files.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { ExportJobView, SavedFile } from '../../common/api.ts';
import { EngineError } from './errors.ts';
import type { SavedFiles } from './saved-files.ts';

const MAX_FILES = 2000;

function finished(jobs: ExportJobView[], jobId: string): ExportJobView & { path: string } {
  const job = jobs.find((j) => j.id === jobId);
  if (!job || job.status !== 'done' || !job.path) {
    throw new EngineError('not-found', 'that export is not finished, or is no longer in the history');
  }
  return job as ExportJobView & { path: string };
}

/** The files of an export's extracted folder, as paths relative to it (at most 2,000, in name order). */
export async function exportFiles(jobs: ExportJobView[], jobId: string): Promise<string[]> {
  const job = finished(jobs, jobId);
  if (!job.extractedTo) return [];
  const entries = await readdir(job.extractedTo, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(job.extractedTo as string, join(entry.parentPath, entry.name)))
    .sort()
    .slice(0, MAX_FILES);
}

/** Registers the export's archive (no `file`) or one file of its extracted folder for download. */
export async function offerExportFile(
  jobs: ExportJobView[],
  saved: SavedFiles,
  jobId: string,
  file: string | undefined,
): Promise<SavedFile> {
  const job = finished(jobs, jobId);
  if (file === undefined) return saved.offer(job.path);
  if (!job.extractedTo) throw new EngineError('not-found', 'that export was not extracted');
  // Real paths on both sides: a link inside the folder must not lead out of it.
  const root = await realpath(job.extractedTo);
  const target = await realpath(resolve(root, file)).catch(() => null);
  const inside = target !== null && target.startsWith(root + sep);
  if (!inside || !(await stat(target).catch(() => null))?.isFile()) {
    throw new EngineError('not-found', `${file} is not a file of that export's folder`);
  }
  return saved.offer(target);
}

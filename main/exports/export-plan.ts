/**
 * Turning "export these results into that folder" into a concrete job: checked filters, the file name the server
 * will give the export (zip, or json gzipped when it ends in `.gz`), the paths on disk, and the fingerprint by
 * which a rerun of the same request finds the job a killed run left behind.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExportFileType } from '../../common/alegion.ts';
import { isUuid } from '../../common/alegion.ts';
import { ExportError } from './export-errors.ts';
import { labelledExportName } from './export-name.ts';

/** What the user asks for. */
export interface ExportRequest {
  workflowId: string;
  batchIds?: readonly string[];
  /** `zip` (default) or `json`. */
  format?: ExportFileType;
  /**
   * The export's file name; default `<label> results <local time>.zip` (or `.json.gz`) when `label` is given, else
   * `results-<workflow>-<time>.zip` or `.json.gz`.
   */
  filename?: string;
  /** What the export covers in words (a batch or workflow name), for the default file name. */
  label?: string;
  /** Only results created since the last completed export of the same scope. */
  sinceLast?: boolean;
  minCreatedAt?: string;
  maxCreatedAt?: string;
  /** Folder the file is written to. */
  outDir: string;
  /** Unzip into a folder named after the export (zip only). */
  extract?: boolean;
}

/** A checked request with everything resolved. */
interface ExportPlan {
  workflowId: string;
  batchIds: string[];
  fileType: ExportFileType;
  filename: string;
  minCreatedAt: string | undefined;
  maxCreatedAt: string | undefined;
  outDir: string;
  extract: boolean;
  fingerprint: string;
}

function invalid(message: string): ExportError {
  return new ExportError('invalid-request', message);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Checks an ISO-8601 instant with a zone, as the API wants it; returns it unchanged. */
function checkInstant(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalid(`${flag} "${value}" is not an ISO-8601 time with a zone (e.g. 2026-01-31T12:00:00Z)`);
  }
  return value;
}

/** `20261129T160503Z`: sortable and safe in a file name. */
function stamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Checks a user-given export file name against the format. */
function checkFilename(filename: string, fileType: ExportFileType): string {
  if (!/^[\w][\w.\- ]*$/.test(filename) || filename.length > 200) {
    throw invalid(
      `file name "${filename}" must be a plain name (letters, digits, . _ - and spaces), no folders`,
    );
  }
  if (fileType === 'zip' && !/\.zip$/i.test(filename)) {
    throw invalid(`file name "${filename}" must end in .zip for a zip export`);
  }
  if (fileType === 'json' && !/\.json(\.gz)?$/i.test(filename)) {
    throw invalid(`file name "${filename}" must end in .json or .json.gz (gzipped) for a json export`);
  }
  return filename;
}

/** Adds `-2`, `-3`... before the extension until neither the file nor its `.part` exists in `dir`. */
function unusedName(dir: string, filename: string): string {
  const match = /^(.*?)((\.json)?\.gz|\.zip|\.json)$/i.exec(filename);
  const base = match?.[1] ?? filename;
  const extension = match?.[2] ?? '';
  let candidate = filename;
  for (let n = 2; existsSync(join(dir, candidate)) || existsSync(join(dir, `${candidate}.part`)); n++) {
    candidate = `${base}-${n}${extension}`;
  }
  return candidate;
}

/**
 * Checks a request and resolves it. `sinceLast` is the cursor to use when the request asks for it (looked up by
 * the caller, so this stays pure); `now` names the file.
 */
export function planExport(request: ExportRequest, sinceLast: string | undefined, now: number): ExportPlan {
  if (!isUuid(request.workflowId)) throw invalid(`workflow id "${request.workflowId}" is not a UUID`);
  const batchIds = [...new Set(request.batchIds ?? [])].sort();
  for (const id of batchIds) if (!isUuid(id)) throw invalid(`batch id "${id}" is not a UUID`);
  const fileType = request.format ?? 'zip';
  if (fileType !== 'zip' && fileType !== 'json')
    throw invalid(`format "${String(fileType)}" is not zip or json`);
  if (request.sinceLast && request.minCreatedAt !== undefined) {
    throw invalid('use either "since last export" or a minimum creation time, not both');
  }
  const explicitMin = checkInstant('minimum creation time', request.minCreatedAt);
  const maxCreatedAt = checkInstant('maximum creation time', request.maxCreatedAt);
  const minCreatedAt = request.sinceLast ? sinceLast : explicitMin;
  if (minCreatedAt && maxCreatedAt && Date.parse(minCreatedAt) > Date.parse(maxCreatedAt)) {
    throw invalid(`the minimum creation time ${minCreatedAt} is after the maximum ${maxCreatedAt}`);
  }
  const extract = request.extract ?? false;
  if (extract && fileType !== 'zip') throw invalid('only zip exports can be extracted');
  const outDir = resolve(request.outDir);
  const given = request.filename === undefined ? undefined : checkFilename(request.filename, fileType);
  const fingerprint = JSON.stringify({
    workflowId: request.workflowId.toLowerCase(),
    batchIds: batchIds.map((id) => id.toLowerCase()),
    fileType,
    filename: given ?? null,
    minCreatedAt: minCreatedAt ?? null,
    maxCreatedAt: maxCreatedAt ?? null,
    outDir,
    extract,
  });
  const generated =
    request.label === undefined
      ? `results-${request.workflowId.slice(0, 8)}-${stamp(now)}${fileType === 'zip' ? '.zip' : '.json.gz'}`
      : labelledExportName(request.label, fileType, now);
  const filename = unusedName(outDir, given ?? generated);
  return {
    workflowId: request.workflowId,
    batchIds,
    fileType,
    filename,
    minCreatedAt,
    maxCreatedAt,
    outDir,
    extract,
    fingerprint,
  };
}

/** The point the next incremental export starts from: the export's `createdAt`, or its upper bound if earlier. */
export function cursorAfter(exportCreatedAt: string, maxCreatedAt: string | undefined): string {
  if (maxCreatedAt !== undefined && Date.parse(maxCreatedAt) < Date.parse(exportCreatedAt))
    return maxCreatedAt;
  return exportCreatedAt;
}

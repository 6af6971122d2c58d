/**
 * Intake into the journal: walked files and the records of a records file are queued in small transactions,
 * yielding to the event loop between them, so 100,000 files never hold it for long.
 */
import { basename, resolve as resolvePath } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AddRecordsResult } from '../../common/api.ts';
import { metadataWithId, recordExternalId } from './asset-identity.ts';
import { readRecordsFile } from './intake/records-file.ts';
import { walkPaths } from './intake/walk.ts';
import type { SkippedFile } from './intake/walk.ts';
import type { InsertOutcome, Journal } from './journal.ts';
import type { NewRecord, TargetRow } from './item-types.ts';

/** What intake needs from the service: the journal, its clock, and how to say the queue changed. */
export interface IntakeContext {
  journal: Journal;
  now: () => number;
  /** The server and account the items go to. */
  server: string;
  /** A new add began: the totals may start again from its run. */
  startWork: (runId: number) => void;
  /** Items were queued (coalesced into one queueChanged). */
  changed: () => void;
  /** Look for work now. */
  pump: () => void;
}

/** Options of queuing paths. */
export interface AddPathsOptions {
  reupload?: boolean;
  runId?: number;
  signal?: AbortSignal;
  onSkip?: (skipped: SkippedFile) => void;
}

/** What adding paths did. */
export interface AddPathsResult extends InsertOutcome {
  runId: number;
  targetId: number;
  /** Files and folders the walk left out, each reported through `onSkip`. */
  walkSkipped: number;
}

const INSERT_SLICE = 250;
const RECORDS_SLICE = 1000;

/** Walks the paths and queues every regular file found into the target, slice by slice. */
export async function queuePaths(
  ctx: IntakeContext,
  paths: readonly string[],
  row: TargetRow,
  options: AddPathsOptions,
): Promise<AddPathsResult> {
  const { journal } = ctx;
  const result = emptyResult(options.runId ?? newRun(ctx, 'add'), row);
  const walk = walkPaths(
    paths.map((p) => resolvePath(p)),
    {
      signal: options.signal,
      chunkSize: INSERT_SLICE,
      onSkip: (skipped) => {
        result.walkSkipped++;
        options.onSkip?.(skipped);
      },
    },
  );
  for await (const found of walk) await insertSlice(ctx, result, row, found, options.reupload ?? false);
  if (result.walkSkipped > 0) journal.addWalkSkipped(result.runId, result.walkSkipped);
  return result;
}

function emptyResult(runId: number, row: TargetRow): AddPathsResult {
  return { runId, targetId: row.id, queued: 0, existing: 0, alreadyUploaded: 0, walkSkipped: 0 };
}

/** Queues one slice of found files, adds up what it did, and yields to the event loop. */
async function insertSlice(
  ctx: IntakeContext,
  result: AddPathsResult,
  row: TargetRow,
  files: readonly { path: string; relativePath: string; size: number; mtimeMs: number }[],
  reupload: boolean,
): Promise<void> {
  const outcome = ctx.journal.insertFiles(
    result.runId,
    row,
    files.map((file) => ({
      path: file.path,
      name: file.relativePath,
      size: file.size,
      mtimeMs: file.mtimeMs,
    })),
    reupload,
  );
  result.queued += outcome.queued;
  result.existing += outcome.existing;
  result.alreadyUploaded += outcome.alreadyUploaded;
  ctx.changed();
  ctx.pump();
  await yieldToEventLoop();
}

/** What a scan found: the files to queue and the files it left out, each with its reason. */
export interface ScannedFiles {
  files: readonly { path: string; relativePath: string; size: number; mtimeMs: number }[];
  skipped: readonly { path: string; reason: string }[];
}

function newRun(ctx: IntakeContext, kind: string): number {
  const runId = ctx.journal.openRun(`${kind}:${ctx.now()}:${Math.random()}`).id;
  ctx.startWork(runId);
  return runId;
}

/**
 * Queues what a scan found without walking again, so the queue gets every file the add dialog counted: a file
 * deleted since is queued all the same and fails with "vanished" when it is checked, and the files the scan left
 * out become skipped rows with their reasons.
 */
export async function queueScanned(
  ctx: IntakeContext,
  scanned: ScannedFiles,
  row: TargetRow,
  reupload: boolean,
): Promise<AddPathsResult> {
  const result = emptyResult(newRun(ctx, 'add'), row);
  for (let start = 0; start < scanned.files.length; start += INSERT_SLICE)
    await insertSlice(ctx, result, row, scanned.files.slice(start, start + INSERT_SLICE), reupload);
  for (let start = 0; start < scanned.skipped.length; start += INSERT_SLICE) {
    const slice = scanned.skipped.slice(start, start + INSERT_SLICE);
    result.walkSkipped += ctx.journal.insertSkipped(
      result.runId,
      row,
      slice.map((skip) => ({ path: skip.path, name: basename(skip.path), reason: skip.reason })),
    );
    ctx.changed();
    await yieldToEventLoop();
  }
  return result;
}

/**
 * Validates a records file whole and queues its records (nothing when a line is wrong); `targetRow` is asked for
 * only once the file is valid, so a bad file makes no target.
 */
export async function queueRecordsFile(
  ctx: IntakeContext,
  path: string,
  targetRow: () => TargetRow,
  options: { runId?: number },
): Promise<AddRecordsResult & { runId: number }> {
  const { journal } = ctx;
  const absolute = resolvePath(path);
  const read = await readRecordsFile(absolute);
  const runId = options.runId ?? newRun(ctx, 'records');
  if (read.errors.length > 0) return { queued: 0, errors: read.errors, runId };
  const row = targetRow();
  const name = basename(absolute);
  let queued = 0;
  for (let start = 0; start < read.records.length; start += RECORDS_SLICE) {
    const slice: NewRecord[] = read.records.slice(start, start + RECORDS_SLICE).map((record, offset) => {
      const index = start + offset + 1;
      const externalId = recordExternalId(journal.journalId, runId, index);
      return {
        sourceKey: `${absolute}#${index}`,
        name: `${name} line ${read.lines[index - 1] ?? index}`,
        payload: JSON.stringify({
          data: record.data,
          metadata: metadataWithId(externalId, record.metadata),
        }),
      };
    });
    queued += journal.insertRecords(runId, row, absolute, slice).queued;
    ctx.changed();
    await yieldToEventLoop();
  }
  ctx.pump();
  return { queued, errors: [], runId };
}

/**
 * Intake into the journal: walked files and the records of a records file are queued in small transactions,
 * yielding to the event loop between them, so 100,000 files never hold it for long.
 */
import { basename, resolve as resolvePath } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AddRecordsResult, RecordsPlan } from '../../../common/api.ts';
import { readRecordsFile } from './records-file.ts';
import type { RecordsFileResult, RecordsReadOptions } from './records-file.ts';
import { inShard } from './shard.ts';
import type { Shard } from './shard.ts';
import { walkPathsOffThread } from './walk-off-thread.ts';
import type { SkippedFile } from './walk.ts';
import type { InsertOutcome } from '../journal/items.ts';
import type { Journal } from '../journal/journal.ts';
import type { NewRecord, TargetRow } from '../journal/item-types.ts';
import { priorRecordLookup } from '../journal/records.ts';
import type { RecordsBatchRef } from '../journal/records.ts';
import { recordPayload, rowKeys } from '../record-identity.ts';
import { insertFiles, insertSkipped } from '../journal/items.ts';
import { insertRecords } from '../journal/records.ts';
import { addWalkSkipped, openRun } from '../journal/targets.ts';

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
  /** Queue only this shard's share of the files (see shard.ts); the others are counted, not queued. */
  shard?: Shard;
}

/** What adding paths did. */
export interface AddPathsResult extends InsertOutcome {
  runId: number;
  targetId: number;
  /** Files and folders the walk left out, each reported through `onSkip`. */
  walkSkipped: number;
  /** Files found that belong to other shards. */
  otherShards: number;
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
  const result = emptyResult(options.runId ?? openAddRun(ctx), row);
  const walk = walkPathsOffThread(
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
  for await (const walked of walk) {
    const found = options.shard ? walked.filter((file) => inShard(file.relativePath, options.shard)) : walked;
    result.otherShards += walked.length - found.length;
    await insertSlice(ctx, result, row, found, options.reupload ?? false);
  }
  if (result.walkSkipped > 0) addWalkSkipped(journal, result.runId, result.walkSkipped);
  return result;
}

function emptyResult(runId: number, row: TargetRow): AddPathsResult {
  return {
    runId,
    targetId: row.id,
    queued: 0,
    existing: 0,
    alreadyUploaded: 0,
    walkSkipped: 0,
    otherShards: 0,
  };
}

/** A file found, to be queued; `md5` is what a scan read of it (for a file it compared with others of its size). */
interface FileToQueue {
  path: string;
  relativePath: string;
  size: number;
  mtimeMs: number;
  md5?: string | null;
}

/** Queues one slice of found files, adds up what it did, and yields to the event loop. */
async function insertSlice(
  ctx: IntakeContext,
  result: AddPathsResult,
  row: TargetRow,
  files: readonly FileToQueue[],
  reupload: boolean,
): Promise<void> {
  const outcome = insertFiles(
    ctx.journal,
    result.runId,
    row,
    files.map((file) => ({
      path: file.path,
      name: file.relativePath,
      size: file.size,
      mtimeMs: file.mtimeMs,
      md5: file.md5 ?? null,
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
  files: readonly FileToQueue[];
  /** A file it found and left out has its name (relative path) and size; what the walk left out has neither. */
  skipped: readonly {
    path: string;
    reason: string;
    relativePath?: string;
    size?: number;
    mtimeMs?: number;
  }[];
}

/** Opens the run of one add of files (its record limit and options are set on it before anything is queued). */
export function openAddRun(ctx: IntakeContext): number {
  return newRun(ctx, 'add');
}

function newRun(ctx: IntakeContext, kind: string): number {
  const runId = openRun(ctx.journal, `${kind}:${ctx.now()}:${Math.random()}`).id;
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
  runId: number = openAddRun(ctx),
): Promise<AddPathsResult> {
  const result = emptyResult(runId, row);
  for (let start = 0; start < scanned.files.length; start += INSERT_SLICE)
    await insertSlice(ctx, result, row, scanned.files.slice(start, start + INSERT_SLICE), reupload);
  for (let start = 0; start < scanned.skipped.length; start += INSERT_SLICE) {
    const slice = scanned.skipped.slice(start, start + INSERT_SLICE);
    result.walkSkipped += insertSkipped(
      ctx.journal,
      result.runId,
      row,
      slice.map((skip) => ({
        path: skip.path,
        name: skip.relativePath ?? basename(skip.path),
        reason: skip.reason,
        size: skip.size ?? 0,
        mtimeMs: skip.mtimeMs ?? 0,
      })),
    );
    ctx.changed();
    await yieldToEventLoop();
  }
  return result;
}

/** How to read a records file and whether to send rows imported before again. */
export interface RecordsIntakeOptions extends RecordsReadOptions {
  runId?: number;
  reimport?: boolean;
}

/** A records file read and keyed: its rows as sent, and the journal key of each (see record-identity.ts). */
interface KeyedRows {
  read: RecordsFileResult;
  payloads: string[];
  keys: string[];
}

async function readKeyedRows(path: string, options: RecordsReadOptions): Promise<KeyedRows> {
  const read = await readRecordsFile(path, options);
  const payloads = read.errors.length > 0 ? [] : read.records.map(recordPayload);
  return { read, payloads, keys: rowKeys(payloads) };
}

/** Reads and checks a records file and counts what an import into `ref`'s batch would send; queues nothing. */
export async function planRecordsFile(
  journal: Journal,
  path: string,
  ref: RecordsBatchRef,
  options: RecordsReadOptions,
): Promise<RecordsPlan> {
  const { read, keys } = await readKeyedRows(resolvePath(path), options);
  const plan: RecordsPlan = {
    format: read.format ?? null,
    rows: read.errors.length > 0 ? 0 : read.records.length,
    encoding: read.encoding ?? null,
    encodingSource: read.encodingSource ?? null,
    delimiter: read.delimiter ?? null,
    delimiterSource: read.delimiterSource ?? null,
    alreadyImported: 0,
    alreadyImportedAt: null,
    alreadyQueued: 0,
    toImport: 0,
    errors: read.errors.slice(0, 10),
  };
  const prior = priorRecordLookup(journal, ref);
  for (const key of keys) {
    const before = prior(key);
    if (before?.state === 'done') {
      plan.alreadyImported++;
      plan.alreadyImportedAt = Math.max(plan.alreadyImportedAt ?? 0, before.at);
    } else if (before?.state === 'queued') plan.alreadyQueued++;
    else plan.toImport++;
  }
  return plan;
}

/**
 * Validates a records file whole and queues the rows not imported into the batch before (every row with
 * `reimport`; nothing when a line is wrong); `targetRow` is asked for only once the file is valid, so a bad file
 * makes no target.
 */
export async function queueRecordsFile(
  ctx: IntakeContext,
  path: string,
  targetRow: () => TargetRow,
  options: RecordsIntakeOptions,
): Promise<AddRecordsResult & { runId: number }> {
  const { journal } = ctx;
  const absolute = resolvePath(path);
  const { read, payloads, keys } = await readKeyedRows(absolute, options);
  const runId = options.runId ?? newRun(ctx, 'records');
  const result: AddRecordsResult & { runId: number } = {
    rows: payloads.length,
    format: read.format ?? null,
    encoding: read.encoding ?? null,
    delimiter: read.delimiter ?? null,
    queued: 0,
    errors: read.errors,
    alreadyImported: 0,
    alreadyImportedAt: null,
    alreadyQueued: 0,
    runId,
  };
  if (read.errors.length > 0) return result;
  const row = targetRow();
  const name = basename(absolute);
  for (let start = 0; start < payloads.length; start += RECORDS_SLICE) {
    const slice: NewRecord[] = payloads.slice(start, start + RECORDS_SLICE).map((payload, offset) => ({
      sourceKey: keys[start + offset] ?? '',
      name: `${name} line ${read.lines[start + offset] ?? start + offset + 1}`,
      payload,
    }));
    const outcome = insertRecords(journal, runId, row, absolute, slice, options.reimport ?? false);
    result.queued += outcome.queued;
    result.alreadyImported += outcome.alreadyImported;
    result.alreadyQueued += outcome.existing;
    if (outcome.lastImportedAt !== null)
      result.alreadyImportedAt = Math.max(result.alreadyImportedAt ?? 0, outcome.lastImportedAt);
    ctx.changed();
    await yieldToEventLoop();
  }
  ctx.pump();
  return result;
}

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
  const runId = options.runId ?? journal.openRun(`add:${ctx.now()}:${Math.random()}`).id;
  const result: AddPathsResult = {
    runId,
    targetId: row.id,
    queued: 0,
    existing: 0,
    alreadyUploaded: 0,
    walkSkipped: 0,
  };
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
  for await (const found of walk) {
    const outcome = journal.insertFiles(
      runId,
      row,
      found.map((file) => ({
        path: file.path,
        name: file.relativePath,
        size: file.size,
        mtimeMs: file.mtimeMs,
      })),
      options.reupload ?? false,
    );
    result.queued += outcome.queued;
    result.existing += outcome.existing;
    result.alreadyUploaded += outcome.alreadyUploaded;
    ctx.changed();
    ctx.pump();
    await yieldToEventLoop();
  }
  if (result.walkSkipped > 0) journal.addWalkSkipped(runId, result.walkSkipped);
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
  const runId = options.runId ?? journal.openRun(`records:${ctx.now()}:${Math.random()}`).id;
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

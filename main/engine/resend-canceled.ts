/**
 * "Re-send canceled files": the files behind a batch's canceled records are queued again into a new batch, since
 * they may have been fixed. The platform lists the canceled records; the upload journal names their files; a file
 * gone from disk, or a record with no file, is reported with its reason instead.
 */
import { stat } from 'node:fs/promises';
import type { ParsedArgs, ResendCanceledResult, ResendSkip, UploadTarget } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import { sourceFinder } from './catalog.ts';
import type { SourceLookup } from './catalog.ts';
import { listAllRecords } from './records-csv.ts';

/** What the re-send needs of the queue. */
interface ResendQueue {
  uploadedSources: SourceLookup;
  resendFiles(
    paths: readonly string[],
    target: UploadTarget,
  ): Promise<{ queued: number; alreadyQueued: number }>;
}

/** Queues the files of the batch's canceled records into the named new batch. */
export async function resendCanceled(
  client: AlegionClient,
  queue: ResendQueue,
  args: ParsedArgs<'resendCanceled'>[0],
): Promise<ResendCanceledResult> {
  const canceled = await listAllRecords(client, args.batchId, ['canceled']);
  const sourceOf = sourceFinder(args.batchId, canceled, queue.uploadedSources);
  const notQueued: ResendSkip[] = [];
  const paths = new Set<string>();
  for (const record of canceled) {
    const source = sourceOf(record);
    if (!source) {
      notQueued.push({ recordId: record.id, path: null, reason: 'this app has no file for the record' });
    } else if (source.kind === 'record') {
      notQueued.push({
        recordId: record.id,
        path: source.path,
        reason: `it came from a row of a records file (${source.name}): add that file again`,
      });
    } else {
      const missing = await whyNotReadable(source.path);
      if (missing) notQueued.push({ recordId: record.id, path: source.path, reason: missing });
      else paths.add(source.path);
    }
  }
  const target: UploadTarget = {
    workflowId: args.workflowId,
    newBatch: { name: args.newBatchName, isEnabled: args.isEnabled },
  };
  const sent = paths.size > 0 ? await queue.resendFiles([...paths], target) : { queued: 0, alreadyQueued: 0 };
  return { batchName: args.newBatchName, canceled: canceled.length, ...sent, notQueued };
}

/** Null when the path is a file that can be sent again, otherwise why not, in plain words. */
async function whyNotReadable(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? null : 'it is no longer a file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? 'the file is no longer on disk'
      : `the file cannot be read (${code ?? 'unknown error'})`;
  }
}

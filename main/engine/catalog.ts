/**
 * Workflows, batches and input records, read straight from the platform through the connected client, and shaped
 * into the views of the contract. Listings are bounded: the renderer gets pages, never everything.
 */
import { basename, dirname } from 'node:path';
import { BATCH_COUNT_FIELDS, MediaKind } from '../../common/alegion.ts';
import type { BatchCounts, BatchSummary, Batch, InputRecord, Workflow } from '../../common/alegion.ts';
import type {
  BatchView,
  Completion,
  CreateBatchArgs,
  RecordView,
  ParsedArgs,
  WorkflowView,
} from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import type { UploadedSource } from '../uploads/journal/queries.ts';
import { EngineError } from './errors.ts';

/** Most workflows or batches listed at once (the platform's accounts hold far fewer). */
const LIST_CAP = 2000;

function workflowKind(workflow: Workflow): WorkflowView['kind'] {
  const kind = (workflow as { kind?: unknown }).kind;
  if (kind === 'records') return 'records';
  const parsed = MediaKind.safeParse(kind);
  return parsed.success ? parsed.data : null;
}

/** The count fields of a batch summary (zero where absent, as for a batch just created). */
export function countsOf(batch: Partial<BatchSummary>): BatchCounts {
  const counts = {} as BatchCounts;
  for (const field of BATCH_COUNT_FIELDS) counts[field] = typeof batch[field] === 'number' ? batch[field] : 0;
  return counts;
}

async function collect<T>(iterable: AsyncIterable<T>, cap: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
    if (out.length >= cap) break;
  }
  return out;
}

/** Lists every workflow visible to the account. */
export async function listWorkflows(client: AlegionClient): Promise<WorkflowView[]> {
  const workflows = await collect(client.listWorkflows({ pageSize: 100 }), LIST_CAP);
  return workflows.map((w) => ({
    id: w.id,
    name: w.name,
    description: w.description ?? null,
    kind: workflowKind(w),
  }));
}

/** Lists a workflow's batches, newest first, with their counts. */
export async function listBatchSummaries(client: AlegionClient, workflowId: string): Promise<BatchSummary[]> {
  return collect(client.listBatches(workflowId, { pageSize: 100, sort: '-createdAt' }), LIST_CAP);
}

/** Shapes a batch (summary or bare) into the contract's view. */
export function batchView(batch: Batch | BatchSummary, completion: Completion | null): BatchView {
  return {
    id: batch.id,
    name: batch.name,
    workflowId: batch.workflowId,
    isEnabled: batch.isEnabled,
    createdAt: batch.createdAt,
    counts: countsOf(batch as Partial<BatchSummary>),
    completion,
  };
}

/** Creates a batch in a workflow. */
export async function createBatch(client: AlegionClient, args: CreateBatchArgs): Promise<BatchView> {
  const batch = await client.createBatch(args.workflowId, { name: args.name, isEnabled: args.isEnabled });
  return batchView(batch, null);
}

/** Finds one batch's summary (counts included) through its workflow's listing. */
export async function findBatchSummary(
  client: AlegionClient,
  batchId: string,
  workflowId?: string,
): Promise<BatchSummary> {
  const owner = workflowId ?? (await client.getBatch(batchId)).workflowId;
  for await (const summary of client.listBatches(owner, { pageSize: 100 })) {
    if (summary.id === batchId) return summary;
  }
  throw new EngineError('not-found', `batch ${batchId} not found in workflow ${owner}`);
}

function recordView(record: InputRecord): RecordView {
  return {
    id: record.id,
    status: record.status,
    metadata: record.metadata ?? null,
    assetId: record.assetId ?? null,
    createdAt: record.createdAt,
    updatedAt: textField(record, 'updatedAt'),
    reason:
      textField(record, 'reason') ??
      textField(record, 'exceptionReason') ??
      textField(record, 'cancelReason'),
  };
}

/** A text field the tutorial's listing does not show but a platform may add (records are read loosely). */
function textField(record: InputRecord, name: string): string | null {
  const value = (record as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** What the upload journal knows of the files behind a batch's records (see uploads/journal/queries.ts). */
export type SourceLookup = (
  batchId: string,
  recordIds: readonly string[],
  assetIds: readonly string[],
) => UploadedSource[];

/**
 * Finds the journal item behind each record: it matches on its record id, or on its asset id when the record id
 * was never learnt. Records from elsewhere have none.
 */
export function sourceFinder(
  batchId: string,
  records: readonly RecordView[],
  lookup: SourceLookup,
): (record: RecordView) => UploadedSource | undefined {
  const assetIds = records.flatMap((r) => (r.assetId ? [r.assetId] : []));
  const sources = lookup(
    batchId,
    records.map((r) => r.id),
    assetIds,
  );
  const byRecord = new Map<string, UploadedSource>();
  const byAsset = new Map<string, UploadedSource>();
  // Oldest first: a later upload of the same file (a retry that made another record) wins its own ids.
  for (const source of sources) {
    if (source.recordId) byRecord.set(source.recordId, source);
    if (source.assetId) byAsset.set(source.assetId, source);
  }
  return (record) => byRecord.get(record.id) ?? (record.assetId ? byAsset.get(record.assetId) : undefined);
}

/** Names records after the files this app uploaded into them; records from elsewhere keep their ids alone. */
export function withFileNames(batchId: string, records: RecordView[], lookup: SourceLookup): RecordView[] {
  const sourceOf = sourceFinder(batchId, records, lookup);
  return records.map((record) => {
    const source = sourceOf(record);
    if (!source) return record;
    return {
      ...record,
      // A file is named by its own name; a row of a records file by "<file> line <n>", as the queue shows it.
      fileName: source.kind === 'file' ? basename(source.path) || source.name : source.name,
      folder: dirname(source.path),
    };
  });
}

export async function listRecords(
  client: AlegionClient,
  q: ParsedArgs<'listRecords'>[0],
  lookup?: SourceLookup,
): Promise<{ items: RecordView[]; total: number }> {
  const listing = (page?: number, pageSize?: number) =>
    client.listRecords(q.batchId, { status: q.statuses, ...(page ? { page, pageSize } : {}) });
  const page = Math.floor(q.offset / q.limit) + 1;
  let skip = q.offset % q.limit;
  const items: RecordView[] = [];
  for await (const record of listing(page, q.limit)) {
    if (skip > 0) {
      skip -= 1;
      continue;
    }
    items.push(recordView(record));
    if (items.length >= q.limit) break;
  }
  const total = await listing().count();
  return { items: lookup ? withFileNames(q.batchId, items, lookup) : items, total };
}

/**
 * Workflows, batches and their completion: the batch views, the records lists, and what is saved or sent again
 * from a batch.
 */
import { z } from 'zod';
import { BATCH_COUNT_FIELDS } from '../alegion.ts';
import type { BatchCounts, MediaKind } from '../alegion.ts';
import { RecordListOrder } from '../record-list.ts';
import { ShortText, Uuid } from './shared.ts';

export interface WorkflowView {
  id: string;
  name: string;
  description: string | null;
  /** The media kind the workflow takes, when known (the sandbox says; the platform does not). */
  kind: MediaKind | 'records' | null;
}

/** Where a batch stands: results + exception + canceled against the records sent. */
export interface Completion {
  batchId: string;
  workflowId: string;
  records: number;
  results: number;
  exceptions: number;
  canceled: number;
  /** results + exceptions + canceled */
  final: number;
  percentFinal: number;
  done: boolean;
  /** Files of this app still on their way to the batch (queued, uploading or paused): records yet to come. */
  coming: number;
  counts: BatchCounts;
  updatedAt: string;
  /** The labeling rate and finish estimate while records are left to label (absent once none is). */
  estimate?: LabelingEstimateView;
}

/** How fast a batch is labeled and when it will be done, or how many more labeled records an estimate needs. */
export type LabelingEstimateView =
  | { state: 'waiting'; recordsNeeded: number }
  | { state: 'ready'; perMinute: number; secondsLeft: number; finishAt: string };

export interface BatchView {
  id: string;
  name: string;
  workflowId: string;
  isEnabled: boolean;
  createdAt: string;
  counts: BatchCounts;
  /** Present once the batch is tracked by the completion monitor. */
  completion: Completion | null;
}

export const CreateBatchArgs = z.object({ workflowId: Uuid, name: ShortText, isEnabled: z.boolean() });
export type CreateBatchArgs = z.infer<typeof CreateBatchArgs>;

/** Exception and canceled records, listed with their ids and metadata. */
export interface RecordView {
  id: string;
  status: string;
  metadata: string | null;
  assetId: string | null;
  createdAt: string;
  /** The file's name when this app uploaded the record (from its upload journal); absent otherwise. */
  fileName?: string | null;
  /** The folder that file was in (or the records file a record came from). */
  folder?: string | null;
  /** When the record last changed, where the platform says (the tutorial's listing shows `createdAt` only). */
  updatedAt?: string | null;
  /** Why it ended as it did, where the platform gives a reason. */
  reason?: string | null;
}

/** "Save as CSV" of a batch's exception and canceled list, filtered and sorted as on screen. */
export const SaveRecordsArgs = z.object({ batchId: Uuid, batchName: ShortText, order: RecordListOrder });
export type SaveRecordsArgs = z.infer<typeof SaveRecordsArgs>;

/** "Save manifest" of a batch: every file this app sent into it, with its asset, record and status. */
export const SaveManifestArgs = z.object({
  workflowId: Uuid,
  batchId: Uuid,
  batchName: ShortText,
  format: z.enum(['csv', 'jsonl']),
});
export type SaveManifestArgs = z.infer<typeof SaveManifestArgs>;

/** "Re-send canceled files" of a batch: the files behind its canceled records go again, into a new batch. */
export const ResendCanceledArgs = z.object({
  workflowId: Uuid,
  batchId: Uuid,
  newBatchName: ShortText,
  isEnabled: z.boolean().default(true),
});
export type ResendCanceledArgs = z.input<typeof ResendCanceledArgs>;

/** A canceled record whose file was not queued again, and why. */
export interface ResendSkip {
  recordId: string;
  /** The file's path, when the upload journal knows it. */
  path: string | null;
  reason: string;
}

/** What a re-send queued into the new batch, and what it could not. */
export interface ResendCanceledResult {
  batchName: string;
  /** Canceled records the batch lists. */
  canceled: number;
  queued: number;
  /** Files an earlier re-send already queued into that batch (not queued twice). */
  alreadyQueued: number;
  notQueued: ResendSkip[];
}

/**
 * A file the engine wrote for the user (a list saved as CSV, a manifest, an export's file). `href` is where the
 * browser host offers it as a download (a short-lived signed link); null in the desktop app, where `path` is it.
 */
export interface SavedFile {
  id: string;
  name: string;
  path: string;
  href: string | null;
  /** Lines of data written (for a file the engine wrote; 0 for an export's file). */
  rows: number;
}

export const RecordsQuery = z.object({
  batchId: Uuid,
  statuses: z.array(z.enum(['queued', 'in-progress', 'complete', 'exception', 'canceled', 'error'])).min(1),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type RecordsQuery = z.input<typeof RecordsQuery>;

/** The count fields of a batch, in display order (re-exported for the views). */
export const COUNT_FIELDS = BATCH_COUNT_FIELDS;

/** The upload queue as the views see it: items, pages, transfers, totals, progress, and one item's details. */
import { z } from 'zod';
import type { MediaKind } from '../alegion.ts';
import { ItemIds, Uuid } from './shared.ts';
import type { ItemState } from './intake.ts';
import { StateGroup } from './intake.ts';

export interface QueueItemView {
  id: number;
  path: string;
  name: string;
  /** null while the file's type is not known yet, and for a file skipped for an unsupported type. */
  kind: MediaKind | 'record' | null;
  size: number;
  state: ItemState;
  bytesSent: number;
  /** Bytes per second, moving average, while uploading. */
  speed: number;
  error: string | null;
  workflowId: string;
  batchId: string | null;
  assetId: string | null;
  recordId: string | null;
  updatedAt: string;
  /**
   * Set while an item that failed a try waits to be tried again: the next try's number out of the tries it gets,
   * when it is due (ISO time) and the last try's reason.
   */
  retry?: { attempt: number; of: number; at: string; reason: string } | null;
}

export const QueueQuery = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
  groups: z.array(StateGroup).optional(),
  search: z.string().max(500).optional(),
  batchId: Uuid.optional(),
  /** Only the files of one transfer (one add). */
  transferId: z.number().int().min(1).optional(),
  /** The column the list is sorted by (default: the order files were added), and whether largest or last first. */
  sort: z.enum(['added', 'name', 'size', 'state']).optional(),
  descending: z.boolean().optional(),
});
export type QueueSort = NonNullable<z.infer<typeof QueueQuery>['sort']>;
export type QueueQuery = z.input<typeof QueueQuery>;

/** Which transfers to list: those in the queue, or the history of those "Clear finished" took out of it. */
export const TransfersQuery = z.object({ history: z.boolean().default(false) });
export type TransfersQuery = z.input<typeof TransfersQuery>;

export const TransferArgs = z.object({ transferId: z.number().int().min(1) });
export type TransferArgs = z.infer<typeof TransferArgs>;

/** One add (files or a records file) with its own progress: one transfer, newest first in the list. */
export interface TransferView {
  id: number;
  startedAt: string;
  /** What was added, in words: the folder of the first file, or the records file's name. */
  label: string;
  kind: 'files' | 'records';
  workflowId: string | null;
  batchId: string | null;
  newBatchName: string | null;
  counts: QueueCounts;
  /** Bytes per second of this transfer's files under way. */
  speed: number;
  /** Seconds left at that speed; null while nothing is moving. */
  etaSeconds: number | null;
  /** Nothing left to do: the summary (done, skipped, failed) is final until a retry. */
  finished: boolean;
  /** Its record limit, and the files it holds back in the queue (paused) because the limit is reached. */
  recordLimit: { maxRecords: number; held: number } | null;
}

/** Which batch's history to list: the transfers that fed it. */
export const BatchTransfersArgs = z.object({ batchId: Uuid });
export type BatchTransfersArgs = z.infer<typeof BatchTransfersArgs>;

/** A transfer in a batch's history: when its last file changed, besides when it started. */
export interface BatchTransferView extends TransferView {
  lastChangedAt: string;
}

export interface QueuePage {
  items: QueueItemView[];
  total: number;
  offset: number;
}

export type QueueMode = 'running' | 'paused' | 'offline' | 'blocked';

/** Files by group, and bytes: of the queue view, or of the current work. */
export interface QueueCounts {
  files: Record<StateGroup, number> & { total: number };
  bytes: { total: number; done: number };
}

/**
 * `files` and `bytes` count what the queue view lists (the connected profile's files, until "Clear finished");
 * `work` counts the current work, the files added since the queue last had nothing left to do, which the totals
 * bar and the time left are about. While the whole queue is paused, every file with work left counts as paused.
 */
export interface QueueTotals extends QueueCounts {
  /** Absent: the same as `files` and `bytes`. */
  work?: QueueCounts;
  /** Bytes per second, moving average. */
  throughput: number;
  /** Seconds left for the current work; null until enough has been sent to tell. */
  etaSeconds: number | null;
  mode: QueueMode;
  /** Why the queue is paused or blocked (API key rejected, disk full, …), for the banner. */
  message: string | null;
}

/** Coalesced progress: at most 10 per second, whatever the number of active items. */
export interface ProgressSnapshot {
  totals: QueueTotals;
  active: { id: number; state: ItemState; bytesSent: number; size: number; speed: number }[];
  at: number;
}

export const ItemIdsArgs = z.object({ ids: ItemIds });
export type ItemIdsArgs = z.infer<typeof ItemIdsArgs>;

/** Which queue item to describe: its id as listed in the queue. */
export const ItemDetailsArgs = z.object({
  id: z.number().int().positive({ message: 'an item id is a positive whole number' }),
});
export type ItemDetailsArgs = z.infer<typeof ItemDetailsArgs>;

/** A queued image's preview as a data URL (PNG, JPEG, GIF or WebP, up to 4 MB), or why there is none. */
export type ItemThumbnail = { dataUrl: string } | { unavailable: string };

/**
 * One failed try of an item, as the journal recorded it. `step` is where the item stood (an item state such as
 * `uploading`, or `intake` for the file checks and `record` for the records request); `attempt` counts the tries of
 * this item from 1, across retries. The message never holds a secret (signed URL queries and keys are masked).
 */
export interface ItemHistoryEntry {
  at: string;
  step: string;
  attempt: number;
  message: string;
}

/**
 * Where a file's record stands in labeling, from the records its batch lists: a platform status (`queued`,
 * `in-progress`, `complete`, `exception`, `canceled`…), `not-found` when the batch lists no record for the file,
 * or `unknown` when the listing could not be read.
 */
export interface LabelingOutcome {
  status: string;
  recordId: string | null;
  createdAt: string | null;
}

/** Everything known about one queue item: the item, where it goes, and its history of attempts and errors. */
export interface ItemDetails {
  item: QueueItemView;
  workflowName: string | null;
  /** The batch's name: the new batch's name as typed, or the existing batch's name when the platform says. */
  batchName: string | null;
  queuedAt: string;
  /**
   * What the probe read of a video, once it has been probed: the frame rate and frame count sent when it is
   * registered. `variable` when the frames are unevenly spaced, so `fps` is their average.
   */
  video: { fps: number; frameCount: number; variable: boolean } | null;
  /** Oldest first; the latest `HISTORY_LIMIT` entries when there are more (`historyTotal` has the count). */
  history: ItemHistoryEntry[];
  historyTotal: number;
  /** Its record's labeling, once the file has one; null before (or with no connection to ask). */
  labeling: LabelingOutcome | null;
}

/** Most history entries sent for one item (a file retried for days keeps them all in the journal). */
export const HISTORY_LIMIT = 200;

/**
 * The app's contract, typed once: every method the renderer can invoke (each returns a Promise), every event the
 * engine pushes to the renderer, and a zod schema for each method's arguments. Main (Electron IPC), the preload,
 * the renderer, the headless host (WebSocket) and the CLI all compile against this file. It imports nothing from
 * the project except the wire types.
 *
 * Lists are paged and filtered on the engine's side: the renderer never receives 100,000 items at once.
 */
import { z } from 'zod';
import { BATCH_COUNT_FIELDS, MediaKind, UUID_PATTERN } from './alegion.ts';
import type { BatchCounts } from './alegion.ts';
import { RecordListOrder } from './record-list.ts';
import type { UploadPlan } from './upload-plan.ts';

// ── Shared argument schemas ─────────────────────────────────────────────────────────────────────────────────

/** A platform id: a UUID. A malformed one is refused with a message naming it. */
export const Uuid = z.string().regex(UUID_PATTERN, { message: 'not a valid id (expected a UUID)' });
const ShortText = z.string().trim().min(1).max(200);
/**
 * Every schema that carries a path on the host's file system. The headless host checks each value parsed by one of
 * these (or by a schema derived from one: zod's registries follow `.refine`/`.describe` clones) against the folders
 * it allows, so a new method that takes a `LocalPath` is limited to the roots without further code.
 */
export const localPathSchemas = z.registry<{ localPath: true }>();
/** A path on the host's file system (a file or folder to add, a destination, a folder to browse). */
export const LocalPath = z.string().min(1).max(4096).register(localPathSchemas, { localPath: true });
const ItemIds = z.array(z.number().int().nonnegative()).max(100_000).optional();

// ── Profiles and connection ─────────────────────────────────────────────────────────────────────────────────

/** What the user types into "Connect to Alegion". Secrets may be omitted when editing (the stored ones are kept). */
export const ProfileInput = z.object({
  id: z.string().max(100).optional(),
  name: ShortText,
  apiUrl: z.url({ protocol: /^https?$/, message: 'API URL must be an http(s) URL' }),
  username: ShortText,
  apiKey: z.string().max(500).optional(),
  password: z.string().max(500).optional(),
});
export type ProfileInput = z.infer<typeof ProfileInput>;

/** A stored profile as the renderer sees it: secrets are never sent back, only whether they are set. */
export interface ProfileView {
  id: string;
  name: string;
  apiUrl: string;
  username: string;
  isSandbox: boolean;
  /** e.g. "••••3f9a": enough to recognise the key, never the key; "saved" for a key too short to show any of. */
  apiKeyHint: string | null;
  hasPassword: boolean;
  /** False when the OS offers no secure storage: secrets live only for this session. */
  secretsPersisted: boolean;
  /** Why secrets are not persisted (e.g. Linux without a keyring), for the profile form; absent when they are. */
  secretsNote?: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** Stable code of the failure (`api-key-rejected`, `login-rejected`, `network`, …). */
  code?: string;
  /** One sentence a person can act on. */
  message: string;
  workflowCount?: number;
}

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'error';

export interface ConnectionState {
  status: ConnectionStatus;
  profileId: string | null;
  profileName: string | null;
  apiUrl: string | null;
  isSandbox: boolean;
  message?: string;
}

/** The connection before any profile is connected (the engine's and the window's starting point). */
export const DISCONNECTED: ConnectionState = {
  status: 'disconnected',
  profileId: null,
  profileName: null,
  apiUrl: null,
  isSandbox: false,
};

// ── Workflows, batches and completion ───────────────────────────────────────────────────────────────────────

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

// ── Intake and the upload queue ─────────────────────────────────────────────────────────────────────────────

/** Item states, as the journal persists them (design guide, section 4). */
export const ITEM_STATES = [
  'queued',
  'probed',
  'registering',
  'registered',
  'uploading',
  'uploaded',
  'closed',
  'recording',
  'recorded',
  'done',
  'failed',
  'paused',
  'canceled',
  'skipped',
] as const;
export const ItemState = z.enum(ITEM_STATES);
export type ItemState = z.infer<typeof ItemState>;

/** Coarse groups the queue view filters by. */
export const STATE_GROUPS = {
  waiting: ['queued', 'probed'],
  active: ['registering', 'registered', 'uploading', 'uploaded', 'closed', 'recording', 'recorded'],
  done: ['done'],
  failed: ['failed'],
  paused: ['paused'],
  canceled: ['canceled'],
  skipped: ['skipped'],
} as const satisfies Record<string, readonly ItemState[]>;
export type StateGroup = keyof typeof STATE_GROUPS;
export const StateGroup = z.enum(['waiting', 'active', 'done', 'failed', 'paused', 'canceled', 'skipped']);

/** Where queued files go: an existing batch, or a new one created once (by name) in the workflow. */
export const UploadTarget = z
  .object({
    workflowId: Uuid,
    batchId: Uuid.optional(),
    newBatch: z.object({ name: ShortText, isEnabled: z.boolean() }).optional(),
    /** The kind of media the workflow takes, when the user declared it: other kinds are skipped with a reason. */
    declaredKind: MediaKind.optional(),
  })
  .refine((t) => (t.batchId === undefined) !== (t.newBatch === undefined), {
    message: 'choose either an existing batch or a new batch name',
  });
export type UploadTarget = z.infer<typeof UploadTarget>;

export const ScanArgs = z.object({
  paths: z.array(LocalPath).min(1).max(10_000),
  workflowId: Uuid.optional(),
});
export type ScanArgs = z.infer<typeof ScanArgs>;

/** What a scan found, shown before anything is queued. */
export interface ScanSummary {
  scanId: string;
  /** False while the walk goes on (progress events carry the running counts). */
  complete: boolean;
  files: number;
  bytes: number;
  byKind: Record<MediaKind, { files: number; bytes: number }>;
  skippedCount: number;
  /** The first skipped files with their reasons (at most 200; `skippedCount` has the total). */
  skipped: { path: string; reason: string }[];
  /** Files uploaded before to the same workflow (same path, size and modification time). */
  alreadyUploaded: number;
  /**
   * Files uploaded before, by workflow id (same path, size and modification time, on this server and account):
   * the add dialog flags them for whichever workflow is chosen.
   */
  uploadedBefore: Record<string, { files: number; names: string[] }>;
  /** Files that share their size with another, whose contents the scan compares once it has walked (hashed so far). */
  compared: { files: number; done: number };
  error?: string;
}

/**
 * What this app has sent to a workflow before (on the connected server and account): the API says nothing of the
 * kind of files a workflow takes, so the add dialog infers it from this and from the files chosen.
 */
export interface WorkflowUse {
  workflowId: string;
  /** Items done in it, by kind. */
  taken: Record<MediaKind | 'record', number>;
  /** When files were last added to it (ISO time): the last choice, for the default. */
  lastAddedAt: string | null;
}

/** The most records one upload may be limited to: any real limit fits. */
export const MAX_RECORD_LIMIT = 1_000_000_000;
/** A per-upload record limit: a whole number of at least 1. */
export const RecordLimit = z
  .number({ error: 'the record limit must be a number' })
  .int({ error: 'the record limit must be a whole number' })
  .min(1, { error: 'the record limit must be at least 1' })
  .max(MAX_RECORD_LIMIT, {
    error: `the record limit can be at most ${MAX_RECORD_LIMIT.toLocaleString('en-US')}`,
  });

/** The reason a file held back by its upload's record limit carries (paused); a higher limit or none releases it. */
export const HELD_REASON = 'held: the record limit of this upload is reached';

/** What the add dialog chose for a scan: where it goes and how. */
const ScanChoices = {
  scanId: z.string().min(1).max(100),
  target: UploadTarget,
  /** Upload files seen before again instead of skipping them. */
  reupload: z.boolean().default(false),
  /** Upload each content once: files with the bytes of another file of the scan are skipped. */
  skipDuplicateContent: z.boolean().default(false),
  /** Create at most this many records for this upload (across restarts); absent: no limit. */
  maxRecords: RecordLimit.optional(),
};

export const QueueScanArgs = z.object(ScanChoices);
export type QueueScanArgs = z.input<typeof QueueScanArgs>;

export const ScanPlanArgs = z.object(ScanChoices);
export type ScanPlanArgs = z.input<typeof ScanPlanArgs>;

/** What queuing a scan would do, shown in the add dialog before anything is created. */
export interface ScanPlan {
  plan: UploadPlan;
  /** Sets of identical files in all (the plan lists the largest of them). */
  identicalSets: number;
  /** The batch the records go to: its id when it exists (a batch chosen, or made by an earlier add), and a new name. */
  batch: { id: string | null; newName: string | null };
}

export const RecordLimitArgs = z.object({
  transferId: z.number().int().min(1),
  /** The new limit; null removes it. Held files are weighed again. */
  maxRecords: RecordLimit.nullable(),
});
export type RecordLimitArgs = z.input<typeof RecordLimitArgs>;

/** CSV field separators by name. */
export const RecordsDelimiter = z.enum(['comma', 'semicolon', 'tab']);
export type RecordsDelimiter = z.infer<typeof RecordsDelimiter>;

/** How to read a records file: an encoding (a WHATWG label; a byte-order mark wins) and a CSV separator. */
const RecordsReadFields = {
  path: LocalPath,
  target: UploadTarget,
  encoding: z.string().trim().min(1).max(64).optional(),
  delimiter: RecordsDelimiter.optional(),
};

export const PlanRecordsFileArgs = z.object(RecordsReadFields);
export type PlanRecordsFileArgs = z.input<typeof PlanRecordsFileArgs>;

export const AddRecordsFileArgs = z.object({
  ...RecordsReadFields,
  /** Send every row again, also those imported into this batch before. */
  reimport: z.boolean().optional(),
});
export type AddRecordsFileArgs = z.input<typeof AddRecordsFileArgs>;

/** A problem on a line of a records file (line 0: the file as a whole). */
export interface RecordsLineError {
  line: number;
  message: string;
}

/** What importing a records file into a batch would do, worked out before anything is sent. */
export interface RecordsPlan {
  format: 'json' | 'jsonl' | 'csv' | null;
  /** Valid rows read. */
  rows: number;
  /** The WHATWG name of the encoding used, and how it was chosen. */
  encoding: string | null;
  encodingSource: 'bom' | 'given' | 'default' | null;
  /** CSV: the separator used, and whether it was detected from the header or given. */
  delimiter: RecordsDelimiter | null;
  delimiterSource: 'detected' | 'given' | null;
  /** Rows imported into this batch before, and when the latest of them was (ms since the epoch). */
  alreadyImported: number;
  alreadyImportedAt: number | null;
  /** Rows queued for this batch already and not yet imported. */
  alreadyQueued: number;
  /** Rows an import would send now (without "import again"). */
  toImport: number;
  /** The first problems, by line; when there are any, nothing can be imported. */
  errors: RecordsLineError[];
}

export interface AddRecordsResult {
  /** Valid rows read, and how: format, encoding and (CSV) separator. */
  rows: number;
  format: RecordsPlan['format'];
  encoding: string | null;
  delimiter: RecordsDelimiter | null;
  queued: number;
  /** Validation errors by line; when there are any, nothing is queued. */
  errors: RecordsLineError[];
  /** Rows left out because they were imported into this batch before (and when the latest was), or are queued. */
  alreadyImported: number;
  alreadyImportedAt: number | null;
  alreadyQueued: number;
}

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

// ── Exports and sync ────────────────────────────────────────────────────────────────────────────────────────

export const ExportArgs = z.object({
  workflowId: Uuid,
  batchIds: z.array(Uuid).max(1000).default([]),
  format: z.enum(['zip', 'json']).default('zip'),
  sinceLast: z.boolean().default(false),
  minCreatedAt: z.iso.datetime({ offset: true }).optional(),
  maxCreatedAt: z.iso.datetime({ offset: true }).optional(),
  destination: LocalPath.optional(),
  extract: z.boolean().default(false),
});
export type ExportArgs = z.input<typeof ExportArgs>;

export type ExportJobStatus =
  'creating' | 'generating' | 'downloading' | 'extracting' | 'done' | 'failed' | 'canceled';

export interface ExportJobView {
  id: string;
  workflowId: string;
  batchIds: string[];
  filename: string;
  format: 'zip' | 'json';
  status: ExportJobStatus;
  recordResultCount: number | null;
  bytes: number;
  totalBytes: number | null;
  throughput: number;
  etaSeconds: number | null;
  path: string | null;
  extractedTo: string | null;
  error: string | null;
  createdAt: string;
}

/** An export's archive (no `file`), or a file of its extracted folder by its path inside that folder. */
export const ExportFileArgs = z.object({
  jobId: z.string().min(1).max(100),
  file: z.string().min(1).max(4000).optional(),
});
export type ExportFileArgs = z.infer<typeof ExportFileArgs>;

export const AutoSyncArgs = z.object({ workflowId: Uuid, batchId: Uuid, enabled: z.boolean() });
export type AutoSyncArgs = z.infer<typeof AutoSyncArgs>;

// ── Watched folders ─────────────────────────────────────────────────────────────────────────────────────────

/** "Watch this folder…": every complete file that appears in the folder (and its subfolders) goes to the target. */
export const WatchFolderArgs = z.object({
  folder: LocalPath,
  target: UploadTarget,
  /** A file is complete once its size and modification time stood still this long (and it opens for reading). */
  settleSeconds: z.number().min(0.1).max(3600).default(5),
  /** Send a file again when it changes after its upload (otherwise the change is reported only). */
  reupload: z.boolean().default(false),
  /** Poll instead of relying on change notifications: for network drives, where notifications do not arrive. */
  polling: z.boolean().default(false),
});
export type WatchFolderArgs = z.input<typeof WatchFolderArgs>;

/** A watched folder as the app lists it. */
export interface WatchedFolderView {
  id: string;
  folder: string;
  workflowId: string;
  batchId: string | null;
  newBatchName: string | null;
  settleSeconds: number;
  reupload: boolean;
  polling: boolean;
  /** `waiting` while not connected to the account the watch belongs to (its files are picked up once connected). */
  status: 'watching' | 'waiting' | 'error';
  /** Why the watch waits or what went wrong, in a sentence; null while all is well. */
  message: string | null;
  /** Files seen and not complete yet. */
  filesSettling: number;
  /** Files queued since the watch (re)started. */
  filesQueued: number;
  /** Files that changed after their upload and were not sent again, since the watch (re)started. */
  changedAfterUpload: number;
}

// ── Settings, host and diagnostics ──────────────────────────────────────────────────────────────────────────

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

export const Settings = z.object({
  /** Concurrent API calls. */
  concurrency: z.number().int().min(1).max(64),
  /** Concurrent PUTs to storage. */
  putConcurrency: z.number().int().min(1).max(64),
  /** MB/s across all uploads; 0 means unlimited. */
  bandwidthMBps: z.number().min(0).max(10_000),
  downloadDir: z.string().max(4096).register(localPathSchemas, { localPath: true }),
  notifications: z.boolean(),
  theme: Theme,
  /** Auto-sync creates an export at most this often per batch. */
  autoSyncMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Desktop app: start with the session, in the tray only, so watched folders go on after a reboot. */
  startAtLogin: z.boolean().optional(),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = Settings.partial();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export interface HostInfo {
  kind: 'electron' | 'headless';
  appVersion: string;
  /** Native file dialogs exist (Electron); otherwise the host's own folder browser is used. */
  nativeDialogs: boolean;
  /** Drag and drop yields file paths (Electron only: browsers hide paths). */
  dropGivesPaths: boolean;
}

export interface BrowseEntry {
  name: string;
  path: string;
  isDirectory: boolean;
  size: number;
  /** A folder's number of entries, when counted (null: too many folders to count, or unreadable). */
  items?: number | null;
}

export interface BrowseListing {
  path: string | null;
  parent: string | null;
  /** The folders the user allowed; listing outside them is refused. */
  roots: string[];
  entries: BrowseEntry[];
}

export interface Diagnostics {
  appVersion: string;
  host: HostInfo['kind'];
  platform: string;
  settings: Settings;
  connection: ConnectionState;
  queue: QueueTotals;
  recentErrors: { at: string; message: string }[];
}

// ── The methods ─────────────────────────────────────────────────────────────────────────────────────────────

/** Every invoke method. Each returns a Promise; arguments are validated by `methodArgs` on the engine's side. */
export interface AlegionApi {
  listProfiles(): Promise<ProfileView[]>;
  saveProfile(input: ProfileInput): Promise<ProfileView>;
  removeProfile(profileId: string): Promise<void>;
  /** Tests typed-in credentials (or a saved profile's, for fields left empty) without saving them. */
  testConnection(input: ProfileInput): Promise<ConnectionTestResult>;
  connect(profileId: string): Promise<ConnectionState>;
  disconnect(): Promise<ConnectionState>;
  /** Starts the embedded sandbox and connects to it (creating the sandbox profile on first use). */
  startSandbox(): Promise<ConnectionState>;
  getConnection(): Promise<ConnectionState>;

  listWorkflows(): Promise<WorkflowView[]>;
  listBatches(workflowId: string): Promise<BatchView[]>;
  createBatch(args: CreateBatchArgs): Promise<BatchView>;
  setBatchEnabled(batchId: string, enabled: boolean): Promise<BatchView>;
  /** Starts tracking the batch's completion (events follow) and returns the latest snapshot. */
  trackBatch(workflowId: string, batchId: string): Promise<Completion>;
  listRecords(query: RecordsQuery): Promise<{ items: RecordView[]; total: number }>;
  /** Writes the batch's exception and canceled list as CSV into the download folder. */
  saveRecordsCsv(args: SaveRecordsArgs): Promise<SavedFile>;
  /** Writes the batch's manifest (one line per file sent into it, with its record's status) into the download folder. */
  saveBatchManifest(args: SaveManifestArgs): Promise<SavedFile>;
  /** Queues the files of the batch's canceled records into a new batch (a rerun never queues a file twice). */
  resendCanceled(args: ResendCanceledArgs): Promise<ResendCanceledResult>;

  scanPaths(args: ScanArgs): Promise<ScanSummary>;
  getScan(scanId: string): Promise<ScanSummary>;
  /** What queuing the scan with these choices would do; creates nothing. */
  planScan(args: ScanPlanArgs): Promise<ScanPlan>;
  queueScan(args: QueueScanArgs): Promise<{ queued: number; skipped: number }>;
  discardScan(scanId: string): Promise<void>;
  /** Reads and checks a records file and counts what an import into the target would send; sends nothing. */
  planRecordsFile(args: PlanRecordsFileArgs): Promise<RecordsPlan>;
  addRecordsFile(args: AddRecordsFileArgs): Promise<AddRecordsResult>;
  listQueue(query: QueueQuery): Promise<QueuePage>;
  getQueueTotals(): Promise<QueueTotals>;
  /** Without ids: everything. */
  pauseItems(args: ItemIdsArgs): Promise<void>;
  resumeItems(args: ItemIdsArgs): Promise<void>;
  cancelItems(args: ItemIdsArgs): Promise<void>;
  /** Without ids: every failed item. */
  retryItems(args: ItemIdsArgs): Promise<void>;
  /** Takes out of the queue view every add with nothing left to do and nothing failed; returns the files cleared. */
  clearFinished(): Promise<{ cleared: number }>;
  /** What was uploaded to each workflow before, for inferring the kind of files it takes. */
  listWorkflowUse(): Promise<WorkflowUse[]>;
  /** The connected profile's transfers, newest first (at most 50), or the history of cleared ones. */
  listTransfers(query: TransfersQuery): Promise<TransferView[]>;
  /** Retries every failed file of one transfer. */
  retryTransfer(args: TransferArgs): Promise<void>;
  /** Every transfer of the connected profile that fed the batch, newest first, cleared ones included. */
  listBatchTransfers(args: BatchTransfersArgs): Promise<BatchTransferView[]>;
  /** Raises, lowers or removes the record limit of one transfer; files it held are weighed again. */
  setRecordLimit(args: RecordLimitArgs): Promise<void>;
  /** One item with its history of attempts and errors; an id no longer in the queue is refused with a clear message. */
  getItemDetails(args: ItemDetailsArgs): Promise<ItemDetails>;
  /** The preview of a queued image file: only files in the connected profile's queue, unchanged since added. */
  getItemThumbnail(args: ItemDetailsArgs): Promise<ItemThumbnail>;

  startExport(args: ExportArgs): Promise<ExportJobView>;
  listExports(): Promise<ExportJobView[]>;
  retryExport(jobId: string): Promise<ExportJobView>;
  cancelExport(jobId: string): Promise<void>;
  /** The files of a finished export's extracted folder, relative to it. */
  listExportFiles(jobId: string): Promise<string[]>;
  /** Offers a finished export's archive or one of its extracted files (a download link in the browser host). */
  offerExportFile(args: ExportFileArgs): Promise<SavedFile>;
  setAutoSync(args: AutoSyncArgs): Promise<void>;
  listAutoSync(): Promise<AutoSyncArgs[]>;

  /** Starts watching a folder (kept across restarts until stopped); refused when the folder is not a folder. */
  watchFolder(args: WatchFolderArgs): Promise<WatchedFolderView>;
  listWatchedFolders(): Promise<WatchedFolderView[]>;
  /** Stops watching; what was queued from the folder stays queued. */
  stopWatching(watchId: string): Promise<void>;

  getSettings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  getDiagnostics(): Promise<Diagnostics>;

  getHostInfo(): Promise<HostInfo>;
  /** Native dialogs (Electron). Resolve to the chosen paths, or an empty list when canceled. */
  chooseFiles(): Promise<string[]>;
  chooseFolder(): Promise<string[]>;
  chooseDownloadFolder(): Promise<string | null>;
  /** The headless host's folder browser, limited to the allowed roots. No path: the roots. */
  browse(path: string | null): Promise<BrowseListing>;
  showInFolder(path: string): Promise<void>;
}

export type MethodName = keyof AlegionApi;

/** The argument schema of every method, as a tuple: the IPC wrapper and the headless host parse with these. */
export const methodArgs = {
  listProfiles: z.tuple([]),
  saveProfile: z.tuple([ProfileInput]),
  removeProfile: z.tuple([z.string().min(1).max(100)]),
  testConnection: z.tuple([ProfileInput]),
  connect: z.tuple([z.string().min(1).max(100)]),
  disconnect: z.tuple([]),
  startSandbox: z.tuple([]),
  getConnection: z.tuple([]),
  listWorkflows: z.tuple([]),
  listBatches: z.tuple([Uuid]),
  createBatch: z.tuple([CreateBatchArgs]),
  setBatchEnabled: z.tuple([Uuid, z.boolean()]),
  trackBatch: z.tuple([Uuid, Uuid]),
  listRecords: z.tuple([RecordsQuery]),
  saveRecordsCsv: z.tuple([SaveRecordsArgs]),
  saveBatchManifest: z.tuple([SaveManifestArgs]),
  resendCanceled: z.tuple([ResendCanceledArgs]),
  scanPaths: z.tuple([ScanArgs]),
  getScan: z.tuple([z.string().min(1).max(100)]),
  planScan: z.tuple([ScanPlanArgs]),
  queueScan: z.tuple([QueueScanArgs]),
  discardScan: z.tuple([z.string().min(1).max(100)]),
  planRecordsFile: z.tuple([PlanRecordsFileArgs]),
  addRecordsFile: z.tuple([AddRecordsFileArgs]),
  listQueue: z.tuple([QueueQuery]),
  getQueueTotals: z.tuple([]),
  pauseItems: z.tuple([ItemIdsArgs]),
  resumeItems: z.tuple([ItemIdsArgs]),
  cancelItems: z.tuple([ItemIdsArgs]),
  retryItems: z.tuple([ItemIdsArgs]),
  clearFinished: z.tuple([]),
  listWorkflowUse: z.tuple([]),
  listTransfers: z.tuple([TransfersQuery]),
  retryTransfer: z.tuple([TransferArgs]),
  listBatchTransfers: z.tuple([BatchTransfersArgs]),
  setRecordLimit: z.tuple([RecordLimitArgs]),
  getItemDetails: z.tuple([ItemDetailsArgs]),
  getItemThumbnail: z.tuple([ItemDetailsArgs]),
  startExport: z.tuple([ExportArgs]),
  listExports: z.tuple([]),
  retryExport: z.tuple([z.string().min(1).max(100)]),
  cancelExport: z.tuple([z.string().min(1).max(100)]),
  listExportFiles: z.tuple([z.string().min(1).max(100)]),
  offerExportFile: z.tuple([ExportFileArgs]),
  setAutoSync: z.tuple([AutoSyncArgs]),
  listAutoSync: z.tuple([]),
  watchFolder: z.tuple([WatchFolderArgs]),
  listWatchedFolders: z.tuple([]),
  stopWatching: z.tuple([z.string().min(1).max(100)]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([SettingsPatch]),
  getDiagnostics: z.tuple([]),
  getHostInfo: z.tuple([]),
  chooseFiles: z.tuple([]),
  chooseFolder: z.tuple([]),
  chooseDownloadFolder: z.tuple([]),
  browse: z.tuple([LocalPath.nullable()]),
  showInFolder: z.tuple([LocalPath]),
} as const satisfies { [K in MethodName]: z.ZodTuple };

/** Every method name, in a stable order (the preload exposes exactly these). */
export const METHOD_NAMES = Object.keys(methodArgs) as MethodName[];

// ── The events ──────────────────────────────────────────────────────────────────────────────────────────────

export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
  at: string;
}

/** Every event the engine pushes to the renderer, by name, with its payload. */
export interface AlegionEvents {
  connectionChanged: ConnectionState;
  /** Coalesced progress, at most 10 Hz. */
  queueProgress: ProgressSnapshot;
  /** Items were added, removed or changed state: visible pages should be fetched again. */
  queueChanged: { reason: string };
  scanProgress: ScanSummary;
  batchCompletion: Completion;
  exportChanged: ExportJobView;
  settingsChanged: Settings;
  notice: Notice;
  /** The watched folders changed (added, stopped, or their counts moved): the whole list, it is short. */
  watchedFoldersChanged: WatchedFolderView[];
}

export type EventName = keyof AlegionEvents;

export const EVENT_NAMES: readonly EventName[] = [
  'connectionChanged',
  'queueProgress',
  'queueChanged',
  'scanProgress',
  'batchCompletion',
  'exportChanged',
  'settingsChanged',
  'notice',
  'watchedFoldersChanged',
];

/** The renderer-side API: the methods, plus one subscription per event that returns an unsubscribe function. */
export type AlegionBridge = AlegionApi & {
  [E in EventName as `on${Capitalize<E>}`]: (listener: (payload: AlegionEvents[E]) => void) => () => void;
} & {
  /** Desktop only: the file-system paths of dropped files and folders (browsers hide paths, so it is absent). */
  pathsForDroppedFiles?: (files: readonly File[]) => string[];
};

/** Name of the subscription method for an event, e.g. `onQueueProgress`. */
export function subscriptionName<E extends EventName>(event: E): `on${Capitalize<E>}` {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}` as `on${Capitalize<E>}`;
}

/** The count fields of a batch, in display order (re-exported for the views). */
export const COUNT_FIELDS = BATCH_COUNT_FIELDS;

/** An error as it crosses to the renderer: a stable code and a message, never a stack or a secret. */
export interface ApiErrorPayload {
  code: string;
  message: string;
}

type SameTuple<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * The methods whose parameters are neither what their argument schema accepts (its input: what a caller may leave
 * to the defaults) nor what it gives (its output, defaults applied): none may be.
 */
type ArgsMismatch = {
  [K in MethodName]: SameTuple<Parameters<AlegionApi[K]>, z.input<(typeof methodArgs)[K]>> extends true
    ? never
    : SameTuple<Parameters<AlegionApi[K]>, z.output<(typeof methodArgs)[K]>> extends true
      ? never
      : K;
}[MethodName];
type MustBeNever<T extends never> = T;
/**
 * Ties each method's signature to the argument schema the hosts validate it with, at compile time: a method whose
 * parameters drift from its tuple fails the typecheck here, naming the method.
 */
export type MethodSignaturesMatchSchemas = MustBeNever<ArgsMismatch>;

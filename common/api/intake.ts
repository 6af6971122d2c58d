/** Intake: item states, upload targets, scans and their plans, record limits, and records files. */
import { z } from 'zod';
import { MediaKind } from '../alegion.ts';
import type { UploadPlan } from '../upload-plan.ts';
import { LocalPath, ShortText, Uuid } from './shared.ts';

/** Item states, as the journal persists them (design guide, section 4). */
const ITEM_STATES = [
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
interface RecordsLineError {
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

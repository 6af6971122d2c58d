/** Every invoke method, its argument schema as a tuple, and the compile-time tie between the two. */
import { z } from 'zod';
import { LocalPath, Uuid } from './shared.ts';
import { ProfileInput } from './profiles.ts';
import type { ConnectionState, ConnectionTestResult, ProfileView } from './profiles.ts';
import {
  CreateBatchArgs,
  RecordsQuery,
  ResendCanceledArgs,
  SaveManifestArgs,
  SaveRecordsArgs,
} from './batches.ts';
import type {
  BatchView,
  Completion,
  RecordView,
  ResendCanceledResult,
  SavedFile,
  WorkflowView,
} from './batches.ts';
import {
  AddRecordsFileArgs,
  PlanRecordsFileArgs,
  QueueScanArgs,
  RecordLimitArgs,
  ScanArgs,
  ScanPlanArgs,
} from './intake.ts';
import type { AddRecordsResult, RecordsPlan, ScanPlan, ScanSummary, WorkflowUse } from './intake.ts';
import {
  BatchTransfersArgs,
  ItemDetailsArgs,
  ItemIdsArgs,
  QueueQuery,
  TransferArgs,
  TransfersQuery,
} from './queue.ts';
import type {
  BatchTransferView,
  ItemDetails,
  ItemThumbnail,
  QueuePage,
  QueueTotals,
  TransferView,
} from './queue.ts';
import { AutoSyncArgs, ExportArgs, ExportFileArgs } from './exports.ts';
import type { ExportJobView } from './exports.ts';
import { WatchFolderArgs } from './watch.ts';
import type { WatchedFolderView } from './watch.ts';
import { SettingsPatch } from './settings.ts';
import type { BrowseListing, Diagnostics, HostInfo, Settings } from './settings.ts';

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

/** A method's arguments as its schema gives them: checked, with the schema's defaults applied. */
export type ParsedArgs<K extends MethodName> = z.output<(typeof methodArgs)[K]>;

/**
 * The contract as the engine implements it: each method takes its arguments parsed (dispatch.ts parses them
 * once), so no method applies a default of its own.
 */
export type ParsedApi = { [K in MethodName]: (...args: ParsedArgs<K>) => ReturnType<AlegionApi[K]> };

/** Every method name, in a stable order (the preload exposes exactly these). */
export const METHOD_NAMES = Object.keys(methodArgs) as MethodName[];

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
 * parameters drift from its tuple fails the typecheck here, naming the method. Nothing imports it: declaring it
 * is the check.
 *
 * @public
 */
export type MethodSignaturesMatchSchemas = MustBeNever<ArgsMismatch>;

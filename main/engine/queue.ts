/**
 * The upload queue as the contract shows it, over the upload service. The service works for one connected
 * account, so it is started when a connection is made and stopped when it ends; its journal keeps the queue in
 * between (and across restarts). Settings changes reach the running service's limits at once.
 */
import type { PlanRecordsFileArgs, QueueTotals, Settings, UploadTarget } from '../../common/api.ts';
import type { AlegionClient, ClientEvent } from '../alegion/types.ts';
import type { ManifestLine } from '../uploads/batch-manifest.ts';
import type { UploadedSource } from '../uploads/journal/queries.ts';
import { identicalReason } from '../uploads/intake/content-dedupe.ts';
import { createUploadService } from '../uploads/upload-service.ts';
import type { UploadService } from '../uploads/upload-service.ts';
import type { RecordsReadOptions } from '../uploads/intake/records-file.ts';
import { EngineError } from './errors.ts';
import { createNameLookup, itemDetails } from './item-details.ts';
import { createOutcomeLookup } from './record-outcome.ts';
import type { OutcomeLookup } from './record-outcome.ts';
import type { NameLookup } from './item-details.ts';
import type { EventHub } from './events.ts';
import { emptyTotals } from './parts.ts';
import type { QueueMethods } from './parts.ts';
import { identicalCopies, planOfScan } from './scan-plan.ts';
import { createScanRegistry } from './scans.ts';
import type { Scan } from './scans.ts';
import { serviceWatchQueue } from '../watch/watch-queue.ts';
import type { WatchQueue } from '../watch/watch-queue.ts';

interface QueuePart extends QueueMethods {
  /**
   * Starts the service for a new connection (stopping the previous one), or stops it (null); `account` is the
   * username the client logs in as, which with the API URL keys batch targets.
   */
  setClient(client: AlegionClient | null, account?: string): Promise<void>;
  applySettings(settings: Settings): void;
  /** What the journal knows of the files behind a batch's records (nothing while no service runs). */
  uploadedSources(
    batchId: string,
    recordIds: readonly string[],
    assetIds: readonly string[],
  ): UploadedSource[];
  /** The journal's manifest lines of the files sent into a batch (see batch-manifest.ts). */
  manifestLines(workflowId: string, batchId: string): ManifestLine[];
  /**
   * Queues files sent before into a new batch target again, leaving out those the target already holds (a rerun
   * of the same re-send); the batch is made first when anything is queued.
   */
  resendFiles(
    paths: readonly string[],
    target: UploadTarget,
  ): Promise<{ queued: number; alreadyQueued: number }>;
  /** The queue as watched folders use it, or null while no service runs. */
  watchQueue(): WatchQueue | null;
  /** What the connected client reports: the running service narrows its concurrency on a retried 429 or 503. */
  clientEvent(event: ClientEvent): void;
  /** The host's view of the network changed: the running service checks now instead of at its next probe. */
  networkHint(online: boolean): void;
  close(): Promise<void>;
}

interface QueueDeps {
  stateDir: string;
  hub: EventHub;
  now: () => number;
  settings: () => Settings;
  /** Called with a one-line summary when items fail (for a notification). */
  onFailed: (count: number, firstReason: string | null) => void;
  /** Secrets known this session, masked in the item history the details show. */
  secrets?: () => Iterable<string>;
  /** Lets tests shorten the service's timings. */
  serviceOptions?: { runner?: Record<string, number> };
}

/** Creates the queue part. */
export function createQueuePart(deps: QueueDeps): QueuePart {
  let service: UploadService | null = null;
  let offService: (() => void)[] = [];
  let names: NameLookup | null = null;
  let outcomes: OutcomeLookup | null = null;
  let watchPort: WatchQueue | null = null;
  const scans = createScanRegistry((summary) => deps.hub.emit('scanProgress', summary), deps.now);

  /** The scan, once it has walked and compared, checked against the workflow it was made for. */
  const finishedScan = async (args: { scanId: string; target: { workflowId: string } }): Promise<Scan> => {
    const scan = scans.get(args.scanId);
    await scan.done;
    if (scan.workflowId && scan.workflowId !== args.target.workflowId) {
      throw new EngineError(
        'workflow-changed',
        'the files were checked for another workflow: add them again',
      );
    }
    return scan;
  };
  const need = (): UploadService => {
    if (!service)
      throw new EngineError('not-connected', 'not connected: choose a profile or try the sandbox first');
    return service;
  };
  const uploadedTo = (path: string, size: number, mtimeMs: number): string[] =>
    service?.uploadedTo(path, size, mtimeMs) ?? [];
  const stopService = async (): Promise<void> => {
    for (const off of offService) off();
    offService = [];
    const running = service;
    service = null;
    names = null;
    outcomes = null;
    watchPort = null;
    await running?.stop();
  };

  return {
    networkHint(online) {
      service?.networkHint(online);
    },
    clientEvent(event) {
      service?.clientEvent(event);
    },
    async setClient(client, account) {
      await stopService();
      if (!client) {
        deps.hub.emit('queueChanged', { reason: 'disconnected' });
        return;
      }
      const settings = deps.settings();
      const next = createUploadService({
        client,
        ...(account ? { account } : {}),
        stateDir: deps.stateDir,
        limits: {
          concurrency: settings.concurrency,
          putConcurrency: settings.putConcurrency,
          bandwidthMBps: settings.bandwidthMBps,
        },
        now: deps.now,
        ...(deps.serviceOptions?.runner ? { runner: deps.serviceOptions.runner } : {}),
      });
      offService = [
        next.on('queueProgress', (snapshot) => deps.hub.emit('queueProgress', snapshot)),
        next.on('queueChanged', (change) => deps.hub.emit('queueChanged', change)),
        next.on('notice', (notice) => deps.hub.emit('notice', notice)),
        next.on('itemsSettled', (items) => {
          const failed = items.filter((item) => item.state === 'failed');
          if (failed.length > 0) deps.onFailed(failed.length, failed[0]?.error ?? null);
        }),
      ];
      service = next;
      names = createNameLookup(client);
      outcomes = createOutcomeLookup(client);
      watchPort = serviceWatchQueue(next);
      next.start();
      deps.hub.emit('queueChanged', { reason: 'connected' });
    },
    applySettings(settings) {
      service?.setLimits({
        concurrency: settings.concurrency,
        putConcurrency: settings.putConcurrency,
        bandwidthMBps: settings.bandwidthMBps,
      });
    },
    watchQueue: () => watchPort,
    manifestLines: (workflowId, batchId) => need().manifestLines(workflowId, batchId),
    uploadedSources: (batchId, recordIds, assetIds) =>
      service ? service.uploadedSources(batchId, recordIds, assetIds) : [],
    async resendFiles(paths, target) {
      const upload = need();
      const held = upload.pathsInTarget(target, paths);
      const fresh = paths.filter((path) => !held.has(path));
      if (fresh.length === 0) return { queued: 0, alreadyQueued: paths.length };
      await upload.resolveBatch(target);
      const result = await upload.addPaths(fresh, target, { reupload: true });
      return { queued: result.queued, alreadyQueued: paths.length - result.queued };
    },

    async scanPaths(args) {
      need();
      return scans.start(args, uploadedTo);
    },
    async getScan(scanId) {
      return structuredClone(scans.get(scanId).summary);
    },
    async planScan(args) {
      const upload = need();
      const scan = await finishedScan(args);
      return { ...planOfScan(scan, args), batch: upload.plannedBatch(args.target) };
    },
    async queueScan(args) {
      const upload = need();
      const scan = await finishedScan(args);
      await upload.resolveBatch(args.target);
      // Copies the scan found by their MD5 are queued as skipped at once, as the plan counted them: held back by
      // a record limit before their intake, they would otherwise count as files left in the queue.
      const copies = identicalCopies(scan, args);
      const scanned = {
        files: copies.size ? scan.files.filter((file) => !copies.has(file.path)) : scan.files,
        skipped: [
          ...scan.skipped.map(({ path, reason }) => ({ path, reason })),
          ...scan.files
            .filter((file) => copies.has(file.path))
            .map((file) => ({ ...file, reason: identicalReason(copies.get(file.path) ?? '') })),
        ],
      };
      const result = await upload.addScanned(scanned, args.target, {
        reupload: args.reupload,
        skipDuplicateContent: args.skipDuplicateContent,
        maxRecords: args.maxRecords ?? null,
      });
      scans.discard(args.scanId);
      return {
        queued: result.queued,
        skipped: result.alreadyUploaded + result.existing + result.walkSkipped,
      };
    },
    async clearFinished() {
      return { cleared: need().clearFinished() };
    },
    async listWorkflowUse() {
      return service ? service.workflowUse() : [];
    },
    async listTransfers(query) {
      return service ? service.transfers(query.history) : [];
    },
    retryTransfer: async ({ transferId }) => need().retryTransfer(transferId),
    listBatchTransfers: async ({ batchId }) => service?.batchTransfers(batchId) ?? [],
    async setRecordLimit(args) {
      const upload = need();
      if (!upload.transfers(false).some((t) => t.id === args.transferId))
        throw new EngineError('transfer-not-found', 'that transfer is no longer in the list');
      upload.limitRecords(args.transferId, args.maxRecords);
    },
    getItemThumbnail: async ({ id }) => need().thumbnail(id),
    async discardScan(scanId) {
      scans.discard(scanId);
    },
    async planRecordsFile(args) {
      return need().planRecordsFile(args.path, args.target, readOptions(args));
    },
    async addRecordsFile(args) {
      const upload = need();
      const result = await upload.addRecordsFile(args.path, args.target, {
        ...readOptions(args),
        reimport: args.reimport ?? false,
      });
      if (result.errors.length === 0) await upload.resolveBatch(args.target);
      const { runId: _runId, ...added } = result;
      return added;
    },
    async listQueue(query) {
      if (!service) return { items: [], total: 0, offset: query.offset ?? 0 };
      return service.list(query);
    },
    async getQueueTotals(): Promise<QueueTotals> {
      return service ? service.totals() : emptyTotals('paused', 'not connected');
    },
    pauseItems: async ({ ids }) => need().pause(ids),
    resumeItems: async ({ ids }) => need().resume(ids),
    cancelItems: async ({ ids }) => need().cancel(ids),
    retryItems: async ({ ids }) => need().retry(ids),
    async getItemDetails({ id }) {
      const upload = need();
      return itemDetails(
        upload,
        names ?? { workflowName: noName, batchName: noName },
        id,
        deps.secrets?.() ?? [],
        outcomes ?? undefined,
      );
    },

    async close() {
      scans.close();
      await stopService();
    },
  };
}

async function noName(): Promise<string | null> {
  return null;
}

/** The reading options of a records request, without undefined members. */
function readOptions(args: PlanRecordsFileArgs): RecordsReadOptions {
  return {
    ...(args.encoding ? { encoding: args.encoding } : {}),
    ...(args.delimiter ? { delimiter: args.delimiter } : {}),
  };
}

/**
 * The engine: one object implementing the contract (`common/api.ts`) over the platform client, the upload queue,
 * the exports, batch completion and settings. Plain TypeScript: the Electron host, the headless host, the CLI and
 * tests create it with their own ports. Each concern lives in its own module under ./engine/.
 */
import type {
  AlegionApi,
  Completion,
  ConnectionState,
  Diagnostics,
  HostInfo,
  Notice,
  ParsedApi,
  Settings,
} from '../../common/api.ts';
import { checkedApi } from './dispatch.ts';
import {
  listBatchSummaries,
  listRecords,
  listWorkflows,
  batchView,
  createBatch,
  findBatchSummary,
} from './catalog.ts';
import { createCompletionTracker } from './completion.ts';
import { createConnectionManager } from './connection.ts';
import { browse, resolveRoots } from './browse.ts';
import { EngineError, redact, toApiError } from './errors.ts';
import { createEventHub } from './events.ts';
import type { EventHub } from './events.ts';
import type { EnginePorts } from './ports.ts';
import { createProfileStore } from './profiles.ts';
import { defaultSettings, readSettings, writeSettings } from './settings.ts';
import { createQueuePart } from './queue.ts';
import { methodsOf, QUEUE_METHOD_NAMES } from './parts.ts';
import { listAllRecords, recordsCsv } from './records-csv.ts';
import { resendCanceled } from './resend-canceled.ts';
import { createSavedFiles, safeFileName } from './saved-files.ts';
import { exportFiles, offerExportFile } from './export-downloads.ts';
import { batchManifestFile } from './manifest-file.ts';
import { createExportService } from '../exports/export-service.ts';
import { createWatchedFolders } from './watched-folders.ts';
import { watchExceptionSpikes } from './exception-alerts.ts';

/**
 * The engine as hosts see it: the contract (its methods parse their arguments; `parsed` takes them parsed, for
 * dispatch), its events, and lifecycle.
 */
export interface Engine extends AlegionApi {
  /** The contract's methods taking parsed arguments: what dispatch calls once it has parsed a host's call. */
  readonly parsed: ParsedApi;
  readonly events: EventHub;
  /** Every secret known this session, for hosts that redact their own logs. */
  knownSecrets(): string[];
  /** A file the engine wrote or offered for download, by id (the browser host's download route checks here). */
  savedFile(fileId: string): { path: string; name: string } | null;
  /** Records an unexpected error for diagnostics (redacted) and returns its payload. */
  reportError(error: unknown): { code: string; message: string };
  close(): Promise<void>;
}

const MAX_RECENT_ERRORS = 50;

/** Creates the engine and reconnects the last used profile in the background. */
export async function createEngine(ports: EnginePorts): Promise<Engine> {
  const now = () => ports.clock?.now() ?? Date.now();
  const recentErrors: { at: string; message: string }[] = [];
  const hub = createEventHub((error) => record(error));
  const profiles = createProfileStore(ports.settings, ports.secrets);
  const connection = createConnectionManager(ports.services, profiles, hub, ports.settings);
  const roots = await resolveRoots(ports.browseRoots);
  let settings: Settings = readSettings(ports.settings, defaultSettings(ports.defaultDownloadDir));

  const secrets = () => profiles.knownSecrets();
  const saved = createSavedFiles(() => ports.downloadLinks ?? null);
  function record(error: unknown): { code: string; message: string } {
    const payload = toApiError(error, secrets());
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const message = redact(payload.code === 'internal' ? detail : payload.message, secrets());
    recentErrors.push({ at: new Date(now()).toISOString(), message });
    if (recentErrors.length > MAX_RECENT_ERRORS) recentErrors.shift();
    ports.log?.(`error: ${message}`);
    return payload;
  }
  const notify = (title: string, body: string): void => {
    if (settings.notifications) ports.notifier.notify(title, body);
  };

  /** A batch's name for a notification (a completion carries ids only). */
  const batchNameOf = async (of: Completion): Promise<string> =>
    (await findBatchSummary(connection.client(), of.batchId, of.workflowId)).name;
  // The notification names the batch and words the totals as the app does.
  const notifyDone = async (done: Completion): Promise<void> => {
    // The switch as it is when the batch becomes done decides, not as it is once the name is read.
    if (!settings.notifications) return;
    // Disconnected or the listing failed: the totals are still worth telling.
    const name = await batchNameOf(done).catch(() => null);
    ports.notifier.notify(
      `${name ?? 'A batch'} is done`,
      `${countOf(done.results, 'result')}, ${countOf(done.exceptions, 'exception')}, ${done.canceled} canceled.`,
    );
  };
  const completion = createCompletionTracker(
    hub,
    (done: Completion) => void notifyDone(done).catch((error: unknown) => record(error)),
    now,
    undefined,
    // A batch is not done while files of this app are still on their way to it.
    async (batchId) =>
      (await queue.listQueue({ batchId, groups: ['waiting', 'active', 'paused'], offset: 0, limit: 1 }))
        .total,
  );
  const queue = createQueuePart({
    stateDir: ports.stateDir,
    hub,
    now,
    settings: () => settings,
    onFailed: (count, reason) =>
      notify('Uploads failed', `${count} file${count === 1 ? '' : 's'} failed${reason ? `: ${reason}` : ''}`),
    secrets,
    ...(ports.tuning?.uploads ? { serviceOptions: ports.tuning.uploads } : {}),
  });
  const exportsPart = createExportService({
    stateDir: ports.stateDir,
    client: () => connection.client(),
    downloadDir: () => settings.downloadDir,
    autoSyncMinutes: () => settings.autoSyncMinutes,
    onChange: (view) => hub.emit('exportChanged', view),
    notify,
  });
  const watches = createWatchedFolders({
    store: ports.settings,
    queue: () => queue.watchQueue(),
    changed: (views) => hub.emit('watchedFoldersChanged', views),
    notice: (level, message) => hub.emit('notice', { level, message, at: new Date(now()).toISOString() }),
    ...(ports.log ? { log: ports.log } : {}),
  });
  // Auto-sync learns of new results from the completions the engine tracks.
  hub.on('batchCompletion', (done) => exportsPart.onCompletion(done));
  // A spike of exceptions among a batch's latest records: a desktop notification and a notice in the window.
  const offSpikes = watchExceptionSpikes({ hub, now, notify, batchName: batchNameOf });
  const trackQuietly = (workflowId: string, batchId: string): void => {
    completion.track(workflowId, batchId).catch((error: unknown) => record(error));
  };
  // A new connection gets its own completion monitor and upload service; the journal and the export store carry
  // the work across, and exports left unfinished resume.
  connection.onClient((client) => {
    completion.setClient(client);
    // The username keys the journal's batch targets with the API URL: a batch of one account is not another's.
    const profileId = connection.state().profileId;
    const account =
      profiles.list().find((p) => p.id === profileId)?.username ?? connection.state().profileName;
    // Watched folders follow the queue: they stop before the service they feed, and those of the new account
    // start after it (each looking at what arrived in its folder meanwhile).
    void (async () => {
      await watches.stopAll();
      await queue.setClient(client, account ?? undefined);
      await watches.sync();
    })().catch((error: unknown) => {
      const payload = record(error);
      hub.emit('notice', { level: 'error', message: payload.message, at: new Date(now()).toISOString() });
    });
    if (!client) return;
    exportsPart.resumeInFlight();
    void exportsPart.listAutoSync().then((entries) => {
      for (const entry of entries) trackQuietly(entry.workflowId, entry.batchId);
    });
  });

  const dialogs = () => {
    if (!ports.dialogs) {
      throw new EngineError(
        'no-native-dialogs',
        'this host has no native dialogs: use the folder browser instead',
      );
    }
    return ports.dialogs;
  };
  const hostInfo: HostInfo = {
    kind: ports.hostKind,
    appVersion: ports.appVersion,
    nativeDialogs: ports.dialogs !== null,
    dropGivesPaths: ports.hostKind === 'electron',
  };

  // The log keeps what happened to the connection and every notice shown (redacted like everything else).
  const offLog = hub.onAny((event, payload) => {
    if (event === 'connectionChanged') {
      const state = payload as ConnectionState;
      ports.log?.(
        redact(
          `connection ${state.status}: ${state.profileName ?? '-'} ${state.apiUrl ?? ''} ${state.message ?? ''}`,
          secrets(),
        ),
      );
    } else if (event === 'notice') {
      const notice = payload as Notice;
      ports.log?.(redact(`${notice.level}: ${notice.message}`, secrets()));
    }
  });
  // The host's view of the network (the OS, sleep and resume) steers the queue: offline at once, and a check
  // as soon as it is back. It is state, not news: the queue's banner and the top bar's dot show it, so it goes to
  // the log only (a toast would repeat the banner word for word).
  // The client's own retries of a 429 or 503 narrow the queue's concurrency, as the calls that fail do.
  const offClientEvents = connection.onClientEvent((event) => queue.clientEvent(event));
  const offConnectivity = ports.connectivity.onChange((online) => {
    queue.networkHint(online);
    ports.log?.(online ? 'network: back online' : 'network: offline');
  });

  const methods: ParsedApi = {
    async listProfiles() {
      return Promise.all(profiles.list().map((p) => profiles.view(p)));
    },
    async saveProfile(input) {
      const view = await profiles.view(await profiles.save(input));
      if (!ports.secrets.persisted && (input.apiKey || input.password)) {
        hub.emit('notice', {
          level: 'warning',
          // The store's reason is a clause of the CLI's wording; the notice makes it a sentence.
          message: ports.secrets.reason
            ? `${ports.secrets.reason.charAt(0).toUpperCase()}${ports.secrets.reason.slice(1)}.`
            : 'The API key and password are kept only until the app quits.',
          at: new Date(now()).toISOString(),
        });
      }
      return view;
    },
    async removeProfile(profileId) {
      if (connection.state().profileId === profileId) await connection.disconnect();
      await profiles.remove(profileId);
    },
    testConnection: (input) => connection.test(input),
    connect: (profileId) => connection.connect(profileId),
    disconnect: () => connection.disconnect(),
    startSandbox: () => connection.startSandbox(),
    getConnection: async () => connection.state(),

    listWorkflows: async () => listWorkflows(connection.client()),
    async listBatches(workflowId) {
      const summaries = await listBatchSummaries(connection.client(), workflowId);
      return summaries.map((s) => batchView(s, completion.latest(s.id)));
    },
    createBatch: (args) => createBatch(connection.client(), args),
    async setBatchEnabled(batchId, enabled) {
      const client = connection.client();
      const batch = await client.updateBatch(batchId, { isEnabled: enabled });
      const summary = await findBatchSummary(client, batchId, batch.workflowId).catch(() => batch);
      return batchView(summary, completion.latest(batchId));
    },
    trackBatch: (workflowId, batchId) => {
      connection.client();
      return completion.track(workflowId, batchId);
    },
    listRecords: (query) => listRecords(connection.client(), query, queue.uploadedSources),
    async saveRecordsCsv(args) {
      const records = await listAllRecords(
        connection.client(),
        args.batchId,
        args.order.statuses,
        queue.uploadedSources,
      );
      const csv = recordsCsv(records, args.order);
      const name = `${safeFileName(args.batchName)} exceptions and canceled.csv`;
      return saved.write(settings.downloadDir, name, csv.text, csv.rows);
    },

    async saveBatchManifest(args) {
      const client = connection.client();
      const lines = queue.manifestLines(args.workflowId, args.batchId);
      const file = await batchManifestFile(client, lines, args);
      return saved.write(settings.downloadDir, file.name, file.text, file.rows);
    },

    resendCanceled: (args) => resendCanceled(connection.client(), queue, args),

    ...methodsOf(queue, QUEUE_METHOD_NAMES),
    startExport: (args) => exportsPart.startExport(args),
    listExports: () => exportsPart.listExports(),
    retryExport: (jobId) => exportsPart.retryExport(jobId),
    cancelExport: (jobId) => exportsPart.cancelExport(jobId),
    listExportFiles: async (jobId) => exportFiles(await exportsPart.listExports(), jobId),
    offerExportFile: async ({ jobId, file }) =>
      offerExportFile(await exportsPart.listExports(), saved, jobId, file),
    async setAutoSync(args) {
      await exportsPart.setAutoSync(args);
      if (args.enabled && connection.current()) trackQuietly(args.workflowId, args.batchId);
    },
    listAutoSync: () => exportsPart.listAutoSync(),
    watchFolder: (args) => watches.add(args),
    listWatchedFolders: async () => watches.list(),
    stopWatching: (watchId) => watches.remove(watchId),

    getSettings: async () => settings,
    async updateSettings(patch) {
      settings = writeSettings(ports.settings, settings, patch);
      queue.applySettings(settings);
      hub.emit('settingsChanged', settings);
      return settings;
    },
    async getDiagnostics(): Promise<Diagnostics> {
      const queueTotals = await queue.getQueueTotals();
      const text = JSON.stringify({
        appVersion: ports.appVersion,
        host: ports.hostKind,
        platform: ports.platform,
        settings,
        connection: connection.state(),
        queue: queueTotals,
        recentErrors,
      });
      return JSON.parse(redact(text, secrets())) as Diagnostics;
    },

    getHostInfo: async () => hostInfo,
    chooseFiles: () => dialogs().chooseFiles(),
    chooseFolder: () => dialogs().chooseFolder(),
    chooseDownloadFolder: () => dialogs().chooseDownloadFolder(),
    browse: (path) => browse(roots, path),
    showInFolder: (path) => dialogs().showInFolder(path),
  };

  const engine: Engine = {
    ...checkedApi(methods),
    parsed: methods,
    events: hub,
    knownSecrets: secrets,
    savedFile: (fileId) => saved.find(fileId),
    reportError: record,

    async close() {
      offConnectivity();
      offClientEvents();
      offLog();
      offSpikes();
      completion.close();
      await watches.close();
      await queue.close();
      await exportsPart.close();
      await connection.close();
    },
  };

  const lastProfile = ports.settings.get('activeProfileId');
  if (typeof lastProfile === 'string' && profiles.list().some((p) => p.id === lastProfile)) {
    // Reconnect in the background: the window opens at once and shows "connecting".
    connection.connect(lastProfile).catch((error: unknown) => record(error));
  }
  return engine;
}

/** A count with its noun, singular or plural: (1, 'result') → "1 result". */
function countOf(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

/**
 * Adding files: paths come from a drop, a native dialog, the folder browser or the "add by path" field; the
 * engine walks them (live counts arrive as scanProgress), then the user picks the workflow and batch and queues.
 */
import type { BrowseListing, ScanPlan, ScanSummary, UploadTarget, WorkflowUse } from '../../common/api.ts';
import { errorMessage, plural } from '../format.ts';
import { reasonText } from '../reason-text.ts';
import { showQueuedInto } from './after-queued.ts';
import type { LoadStatus, SliceCreator } from './types.ts';

type IntakeStatus = 'closed' | 'choosing' | 'scanning' | 'ready' | 'queuing' | 'error';

type BrowserPurpose = 'add' | 'watch';

/** How the add dialog queues a scan besides its target. */
export interface QueueOptions {
  /** Upload files sent to the workflow before again. */
  reupload: boolean;
  /** Upload each content once. */
  skipDuplicateContent: boolean;
  /** Create at most this many records; absent: no limit. */
  maxRecords?: number;
}

export interface IntakeSlice {
  intakeStatus: IntakeStatus;
  intakePaths: string[];
  scan: ScanSummary | null;
  /** What queuing the scan would do with the choices `scanPlanQuestion` names (null until answered). */
  scanPlan: ScanPlan | null;
  scanPlanQuestion: string | null;
  /** The dialog's choices now (planKey): the plan is current when it answers these. */
  planQuestion: string | null;
  /** Why the plan could not be made. */
  planError: string | null;
  intakeError: string | null;
  /** Why queuing failed (creating the batch, most often): shown next to the batch, in a sentence. */
  queueError: string | null;
  /** When queuing started (ms), for the dialog's elapsed time while the platform is slow. */
  queuingSince: number | null;
  /** What each workflow took before, for the dialog's default workflow and its warnings. */
  workflowUse: WorkflowUse[];
  /** The host's folder browser; `purpose` says what a pick is for: files to add, or the folder to watch. */
  browser: {
    open: boolean;
    purpose: BrowserPurpose;
    status: LoadStatus;
    listing: BrowseListing | null;
    error: string | null;
  };
  /** Opens the add dialog, empty (to type a path or browse) or with paths to scan at once. */
  openIntake: (paths?: string[]) => void;
  /** Walks the paths; counts arrive live. */
  scanPaths: (paths: string[], workflowId?: string) => Promise<void>;
  applyScanProgress: (summary: ScanSummary) => void;
  /** The dialog's choices changed: the plan is asked for shortly after the last change (the latest wins). */
  askPlan: (target: UploadTarget, options: QueueOptions) => void;
  /** Asks what queuing the scan into the target with the options would do, now. */
  planScan: (target: UploadTarget, options: QueueOptions) => Promise<void>;
  /** Queues what the scan found into the chosen target; returns false when it failed (the dialog stays). */
  queueScan: (target: UploadTarget, options: QueueOptions) => Promise<boolean>;
  closeIntake: () => void;
  /** "Add files…" / "Add folder…": the native dialog when the host has one, otherwise the folder browser. */
  choosePaths: (what: 'files' | 'folder') => Promise<void>;
  /**
   * Any "Add files…" button: the native file chooser straight away when the host has one (the add dialog opens
   * with what was chosen), otherwise the add dialog to browse, type a path or drop.
   */
  startAdding: () => void;
  /** Opens the browser at `path` (null: the roots); a new `purpose` is given when it opens, moving keeps it. */
  openBrowser: (path: string | null, purpose?: BrowserPurpose) => Promise<void>;
  closeBrowser: () => void;
}

/** How long the plan waits after a change of the choices before it is asked for (typing a limit, a name). */
const PLAN_DELAY_MS = 150;

/** The key of a set of choices: equal choices, equal keys. */
export function planKey(target: UploadTarget, options: QueueOptions): string {
  return JSON.stringify([target, options.reupload, options.skipDuplicateContent, options.maxRecords ?? null]);
}

/** Creates the intake slice. */
export const createIntakeSlice: SliceCreator<IntakeSlice> = (set, get, { bridge, later }) => {
  /** No plan, for a new scan or none. */
  const noPlan = { scanPlan: null, scanPlanQuestion: null, planQuestion: null, planError: null };
  return {
    intakeStatus: 'closed',
    intakePaths: [],
    scan: null,
    ...noPlan,
    intakeError: null,
    queueError: null,
    queuingSince: null,
    workflowUse: [],
    browser: { open: false, purpose: 'add', status: 'idle', listing: null, error: null },

    openIntake: (paths) => {
      if (get().intakeStatus === 'closed') set({ intakeStatus: 'choosing', scan: null, intakeError: null });
      if (paths && paths.length) void get().scanPaths(paths);
    },

    scanPaths: async (paths, workflowId) => {
      const previous = get().scan;
      if (previous && get().intakeStatus !== 'queuing')
        void bridge.discardScan(previous.scanId).catch(() => {});
      set({
        intakeStatus: 'scanning',
        intakePaths: paths,
        scan: null,
        ...noPlan,
        intakeError: null,
        queueError: null,
      });
      // Asked alongside the scan (a quick read of the journal), so the dialog starts on the right workflow.
      void bridge.listWorkflowUse().then(
        (use) => set({ workflowUse: use }),
        () => {},
      );
      try {
        const summary = await bridge.scanPaths({ paths, workflowId });
        if (get().intakePaths !== paths) return;
        get().applyScanProgress(summary);
      } catch (error) {
        if (get().intakePaths !== paths) return;
        set({ intakeStatus: 'error', intakeError: errorMessage(error) });
      }
    },

    applyScanProgress: (summary) => {
      const { scan, intakeStatus } = get();
      if (intakeStatus !== 'scanning' && intakeStatus !== 'ready') return;
      // A scan we already know, or the first one reported while ours is in flight.
      if (scan && scan.scanId !== summary.scanId) return;
      if (scan?.complete && !summary.complete) return;
      if (summary.error) {
        set({ scan: summary, intakeStatus: 'error', intakeError: summary.error });
        return;
      }
      set({ scan: summary, intakeStatus: summary.complete ? 'ready' : 'scanning' });
    },

    askPlan: (target, options) => {
      const key = planKey(target, options);
      if (key === get().planQuestion) return;
      set({ planQuestion: key });
      later(() => {
        if (get().planQuestion === key) void get().planScan(target, options);
      }, PLAN_DELAY_MS);
    },

    planScan: async (target, options) => {
      const scan = get().scan;
      if (!scan?.complete) return;
      const key = planKey(target, options);
      try {
        const plan = await bridge.planScan({ scanId: scan.scanId, target, ...options });
        // An answer to older choices, or to another scan, arriving late is dropped.
        if (get().planQuestion === key && get().scan?.scanId === scan.scanId)
          set({ scanPlan: plan, scanPlanQuestion: key, planError: null });
      } catch (error) {
        if (get().planQuestion === key) set({ planError: reasonText(errorMessage(error)) });
      }
    },

    queueScan: async (target, options) => {
      const scan = get().scan;
      if (!scan?.complete) return false;
      set({ intakeStatus: 'queuing', intakeError: null, queueError: null, queuingSince: Date.now() });
      try {
        const result = await bridge.queueScan({ scanId: scan.scanId, target, ...options });
        // The engine also queues the files the scan flagged (they end as skipped, with their reason, in the list):
        // people expect the count the dialog showed.
        const { reupload } = options;
        const uploads = Math.min(result.queued, scan.files - (reupload ? 0 : scan.alreadyUploaded));
        const before = reupload ? 0 : scan.alreadyUploaded;
        const skipped = before ? `; ${plural(before, 'file')} sent before skipped` : '';
        const limit = options.maxRecords ? `; at most ${plural(options.maxRecords, 'record')}` : '';
        get().pushNotice(
          'info',
          `Queued ${plural(Math.max(0, uploads), 'file')} for upload${skipped}${limit}.`,
        );
        set({ intakeStatus: 'closed', scan: null, ...noPlan, intakePaths: [], queuingSince: null });
        await showQueuedInto(get, target);
        return true;
      } catch (error) {
        const what = target.newBatch
          ? `The batch “${target.newBatch.name}” could not be created.`
          : 'The files could not be queued.';
        set({
          intakeStatus: 'ready',
          queueError: `${what} ${reasonText(errorMessage(error))}`,
          queuingSince: null,
        });
        return false;
      }
    },

    closeIntake: () => {
      const scan = get().scan;
      if (scan) void bridge.discardScan(scan.scanId).catch(() => {});
      set({
        intakeStatus: 'closed',
        scan: null,
        ...noPlan,
        intakePaths: [],
        intakeError: null,
        queueError: null,
      });
    },

    choosePaths: async (what) => {
      if (!get().hostInfo?.nativeDialogs) {
        if (get().intakeStatus === 'closed') set({ intakeStatus: 'choosing', scan: null, intakeError: null });
        await get().openBrowser(get().browser.listing?.path ?? null);
        return;
      }
      try {
        const paths = what === 'files' ? await bridge.chooseFiles() : await bridge.chooseFolder();
        if (paths.length) get().openIntake(paths);
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
      }
    },

    startAdding: () => {
      if (get().hostInfo?.nativeDialogs) void get().choosePaths('files');
      else get().openIntake();
    },

    openBrowser: async (path, purpose) => {
      set((s) => ({
        browser: {
          ...s.browser,
          open: true,
          purpose: purpose ?? (s.browser.open ? s.browser.purpose : 'add'),
          status: 'loading',
          error: null,
        },
      }));
      try {
        const listing = await bridge.browse(path);
        set((s) => ({ browser: { ...s.browser, open: true, status: 'ready', listing, error: null } }));
      } catch (error) {
        set((s) => ({ browser: { ...s.browser, open: true, status: 'error', error: errorMessage(error) } }));
      }
    },

    closeBrowser: () => set((s) => ({ browser: { ...s.browser, open: false } })),
  };
};

/**
 * Add files: choose what (path, dialog, browser), see what the walk found (live counts, kinds, size, skipped
 * with reasons, already uploaded), choose the workflow and batch (existing or new), then queue.
 */
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { ScanSummary, WorkflowUse, WorkflowView } from '../../common/api.ts';
import { BatchChoiceFields, useBatchChoice } from '../components/batch-choice.tsx';
import { Dialog } from '../components/dialog.tsx';
import { formatBytes, formatCount, plural } from '../format.ts';
import { reasonText } from '../reason-text.ts';
import { actions, useApp } from '../store/index.ts';
import type { View } from '../store/navigation-slice.ts';
import { guessKind, kindNote, kindWarning, suggestWorkflow } from '../workflow-kind.ts';

const KIND_LABELS = { image: 'Images', video: 'Videos', text: 'Documents' } as const;

function PathPicker() {
  const [path, setPath] = useState('');
  const hostInfo = useApp((s) => s.hostInfo);
  const scan = (): void => {
    const paths = path
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
    if (paths.length) void actions().scanPaths(paths);
  };
  return (
    <div className="stack">
      <div className="row wrap">
        {hostInfo?.nativeDialogs ? (
          <>
            <button type="button" onClick={() => void actions().choosePaths('files')}>
              Choose files…
            </button>
            <button type="button" onClick={() => void actions().choosePaths('folder')}>
              Choose folder…
            </button>
          </>
        ) : (
          // Without native dialogs, files and folders are picked in the same browser of the host's folders.
          <button type="button" onClick={() => void actions().choosePaths('folder')}>
            Browse…
          </button>
        )}
        {!hostInfo?.dropGivesPaths && (
          <span className="small muted">
            In a browser, dropped files carry no location: use the buttons or a path.
          </span>
        )}
      </div>
      <label>
        Add by path
        <span className="row">
          <input
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && scan()}
            placeholder="/data/images/2024-06"
            spellCheck={false}
            style={{ flex: 1 }}
            className="mono"
          />
          <button type="button" onClick={scan} disabled={!path.trim()}>
            Scan
          </button>
        </span>
      </label>
    </div>
  );
}

/** A skipped path as seen from the folder that was added (the whole path when it is outside every one). */
export function relativeToRoots(path: string, roots: readonly string[]): string {
  let best = '';
  for (const root of roots) {
    const base = root.replace(/[\\/]+$/, '');
    if (base.length <= best.length) continue;
    if (path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}\\`)) best = base;
  }
  if (!best) return path;
  if (path === best) return path.split(/[\\/]/).pop() || path;
  return path.slice(best.length + 1);
}

function ScanFindings({ scan, roots }: { scan: ScanSummary; roots: readonly string[] }) {
  return (
    <section className="stack" aria-label="What was found">
      <div className="kinds">
        {(Object.keys(KIND_LABELS) as (keyof typeof KIND_LABELS)[]).map((kind) => (
          <div className="count" key={kind}>
            <div className="label">{KIND_LABELS[kind]}</div>
            <div className="value">{formatCount(scan.byKind[kind]?.files ?? 0)}</div>
            <div className="small muted num">{formatBytes(scan.byKind[kind]?.bytes ?? 0)}</div>
          </div>
        ))}
      </div>
      <p className="num" data-testid="scan-total">
        <strong>{plural(scan.files, 'file')}</strong>, {formatBytes(scan.bytes)} in total
        {scan.alreadyUploaded > 0 && <> · {plural(scan.alreadyUploaded, 'file')} uploaded before</>}
        {scan.skippedCount > 0 && <> · {formatCount(scan.skippedCount)} skipped</>}
      </p>
      {scan.skipped.length > 0 && (
        <details>
          <summary>Skipped files and why</summary>
          <ul className="skipped-list">
            {scan.skipped.map((s) => (
              <li key={s.path}>
                <span
                  className="mono"
                  style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}
                  title={s.path}
                >
                  {relativeToRoots(s.path, roots)}
                </span>
                <span className="muted">{reasonText(s.reason)}</span>
              </li>
            ))}
            {scan.skippedCount > scan.skipped.length && (
              <li className="muted">and {formatCount(scan.skippedCount - scan.skipped.length)} more</li>
            )}
          </ul>
        </details>
      )}
    </section>
  );
}

export { defaultBatchName } from '../components/batch-choice.tsx';

/** Where the dialog starts: looking at a batch, that batch (the files most likely go into it); else a new batch. */
export function initialTarget(
  view: View,
  workflows: WorkflowView[],
  batches: Readonly<Record<string, readonly { id: string }[]>>,
  scan: ScanSummary,
  uses: readonly WorkflowUse[] = [],
): { workflowId: string; mode: 'existing' | 'new'; batchId: string } {
  const open = view.name === 'batch' ? view : null;
  const workflowId = suggestWorkflow(workflows, uses, scan, open?.workflowId ?? null);
  const known =
    !!open && open.workflowId === workflowId && !!batches[workflowId]?.some((b) => b.id === open.batchId);
  return known && open
    ? { workflowId, mode: 'existing', batchId: open.batchId }
    : { workflowId, mode: 'new', batchId: '' };
}

/** The id of the target form, for the footer's submit button (the footer sits outside the form). */
const TARGET_FORM_ID = 'intake-target';

/** What the dialog knows of the chosen workflow's kind, and a warning when the files do not fit it. */
function WorkflowKindNote({ workflow, scan }: { workflow: WorkflowView | undefined; scan: ScanSummary }) {
  const uses = useApp((s) => s.workflowUse);
  if (!workflow) return null;
  const use = uses.find((u) => u.workflowId === workflow.id);
  const guess = guessKind(workflow, use);
  const warning = kindWarning(workflow, guess, use, scan);
  return (
    <>
      <span className="hint" data-testid="workflow-kind">
        {kindNote(guess)}
      </span>
      {warning && (
        <span className="inline-result warning" role="alert" data-testid="kind-warning">
          {warning}
        </span>
      )}
    </>
  );
}

/** The files of the scan sent to the chosen workflow before, named, with the choice to send them again. */
function UploadedBefore({
  before,
  reupload,
  setReupload,
}: {
  before: ScanSummary['uploadedBefore'][string] | undefined;
  reupload: boolean;
  setReupload: (on: boolean) => void;
}) {
  if (!before || before.files === 0) return null;
  return (
    <div className="stack notice-box" data-testid="uploaded-before">
      <p>
        <strong>{plural(before.files, 'file')} uploaded to this workflow before</strong> (same name, size and
        date). {reupload ? 'They will be uploaded again.' : 'They are skipped unless you upload them again.'}
      </p>
      <details>
        <summary>Which files</summary>
        <ul className="skipped-list">
          {before.names.map((name) => (
            <li key={name} className="mono">
              {name}
            </li>
          ))}
          {before.files > before.names.length && (
            <li className="muted">and {formatCount(before.files - before.names.length)} more</li>
          )}
        </ul>
      </details>
      <label className="switch">
        <input type="checkbox" checked={reupload} onChange={(e) => setReupload(e.target.checked)} />
        Upload {before.files === 1 ? 'it' : 'them'} again
      </label>
    </div>
  );
}

function TargetForm({
  scan,
  reupload,
  setReupload,
  onWorkflow,
}: {
  scan: ScanSummary;
  reupload: boolean;
  setReupload: (on: boolean) => void;
  /** The chosen workflow, for the footer's count of files to queue. */
  onWorkflow: (workflowId: string) => void;
}) {
  const workflows = useApp((s) => s.workflows);
  const batches = useApp((s) => s.batches);
  const view = useApp((s) => s.view);
  const uses = useApp((s) => s.workflowUse);
  const queueError = useApp((s) => s.queueError);
  const [start] = useState(() => initialTarget(view, workflows, batches, scan, uses));
  const choice = useBatchChoice(start);
  const workflowId = choice.workflowId;
  useEffect(() => onWorkflow(workflowId), [workflowId, onWorkflow]);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const target = choice.target();
    if (typeof target === 'string') return setProblem(target);
    setProblem(null);
    void actions().queueScan(target, reupload);
  };

  return (
    <form id={TARGET_FORM_ID} className="stack" aria-label="Where the files go" onSubmit={submit}>
      <BatchChoiceFields
        choice={choice}
        autoFocus
        workflowNote={<WorkflowKindNote workflow={workflows.find((w) => w.id === workflowId)} scan={scan} />}
      >
        {queueError && (
          <p
            className="inline-result error"
            role="alert"
            data-testid="queue-error"
            // In a short window the batch may sit below the fold: the reason is brought into view.
            ref={(el) => el?.scrollIntoView({ block: 'nearest' })}
          >
            {queueError}
          </p>
        )}
      </BatchChoiceFields>
      <UploadedBefore
        before={scan.uploadedBefore[workflowId]}
        reupload={reupload}
        setReupload={setReupload}
      />
      {problem && (
        <p className="inline-result error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** While queuing: what is happening, and for how long once the platform is slow (a batch is made first). */
function QueuingProgress() {
  const since = useApp((s) => s.queuingSince);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = since === null ? 0 : Math.floor((now - since) / 1000);
  return (
    <span className="row small" role="status" data-testid="queuing-progress" style={{ marginRight: 'auto' }}>
      <span className="spinner" aria-hidden="true" />
      {seconds < 2
        ? 'Preparing the batch and queuing the files…'
        : `Waiting for Alegion to answer (${seconds} s); the app tries again by itself.`}
    </span>
  );
}

/** Cancel and "Queue N files" in the dialog's footer; or, when a finished scan would be thrown away, the question. */
function Footer({
  scan,
  workflowId,
  reupload,
  confirming,
  setConfirming,
}: {
  scan: ScanSummary | null;
  workflowId: string | null;
  reupload: boolean;
  confirming: boolean;
  setConfirming: (on: boolean) => void;
}) {
  const status = useApp((s) => s.intakeStatus);
  if (confirming && scan) {
    return (
      <div className="row" style={{ flex: 1 }} role="group" aria-label="Discard the scan?">
        <span>
          <strong>Discard the scan?</strong> The {plural(scan.files, 'file')} found are not queued.
        </span>
        <span className="spacer" />
        {/* Focus lands on the harmless answer: a second Escape or Enter keeps the scan. */}
        <button type="button" autoFocus onClick={() => setConfirming(false)}>
          Keep it
        </button>
        <button type="button" className="danger" onClick={() => actions().closeIntake()}>
          Discard
        </button>
      </div>
    );
  }
  const canQueue = !!scan?.complete && scan.files > 0 && (status === 'ready' || status === 'queuing');
  const before = scan && workflowId ? (scan.uploadedBefore[workflowId]?.files ?? 0) : 0;
  const toQueue = scan ? scan.files - (reupload ? 0 : before) : 0;
  return (
    <>
      {status === 'queuing' && <QueuingProgress />}
      <button type="button" onClick={() => actions().closeIntake()}>
        Cancel
      </button>
      {canQueue && (
        <button
          type="submit"
          form={TARGET_FORM_ID}
          className="primary"
          disabled={status === 'queuing' || toQueue <= 0}
        >
          {status === 'queuing' ? 'Queuing…' : `Queue ${plural(Math.max(0, toQueue), 'file')}`}
        </button>
      )}
    </>
  );
}

/** The dialog; open while the intake is not closed. */
export function IntakeDialog() {
  const status = useApp((s) => s.intakeStatus);
  const scan = useApp((s) => s.scan);
  const error = useApp((s) => s.intakeError);
  const paths = useApp((s) => s.intakePaths);
  // Both belong to one scan: a new scan starts with neither.
  const [reuploadFor, setReuploadFor] = useState<string | null>(null);
  const [confirmFor, setConfirmFor] = useState<string | null>(null);
  const [workflowFor, setWorkflowFor] = useState<{ scanId: string; id: string } | null>(null);
  const workflowId = scan && workflowFor?.scanId === scan.scanId ? workflowFor.id : null;
  const scanId = scan?.scanId ?? null;
  const chooseWorkflowFor = useCallback(
    (id: string) => setWorkflowFor(scanId ? { scanId, id } : null),
    [scanId],
  );
  const reupload = !!scan && reuploadFor === scan.scanId;
  const confirming = !!scan && confirmFor === scan.scanId;
  const finished = !!scan?.complete && scan.files > 0 && status === 'ready';
  // Escape or ✕ on a finished scan asks first; the footer's Cancel is already a decision.
  const close = (): void => {
    if (confirming) setConfirmFor(null);
    else if (finished && scan) setConfirmFor(scan.scanId);
    else actions().closeIntake();
  };
  return (
    <Dialog
      open={status !== 'closed'}
      title="Add files"
      onClose={close}
      wide
      footer={
        <Footer
          scan={scan}
          workflowId={workflowId}
          reupload={reupload}
          confirming={confirming}
          setConfirming={(on) => setConfirmFor(on && scan ? scan.scanId : null)}
        />
      }
    >
      {(status === 'choosing' || status === 'error') && <PathPicker />}
      {paths.length > 0 && status !== 'choosing' && (
        <p
          className="small muted mono"
          style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
        >
          {paths.length === 1 ? paths[0] : `${paths[0]} and ${plural(paths.length - 1, 'more item')}`}
        </p>
      )}
      {status === 'scanning' && (
        <div className="row" role="status" aria-live="polite" data-testid="scan-progress">
          <span className="spinner" aria-hidden="true" />
          <span className="num">
            Counting… {plural(scan?.files ?? 0, 'file')}, {formatBytes(scan?.bytes ?? 0)}
            {scan && scan.skippedCount > 0 ? `, ${formatCount(scan.skippedCount)} skipped` : ''}
          </span>
        </div>
      )}
      {error && (
        <p className="inline-result error" role="alert">
          {error}
        </p>
      )}
      {scan?.complete && (status === 'ready' || status === 'queuing') && (
        <>
          <ScanFindings scan={scan} roots={paths} />
          {scan.files === 0 ? (
            <p className="inline-result error" role="alert">
              Nothing to upload here: no images, videos or documents were found.
            </p>
          ) : (
            <TargetForm
              key={scan.scanId}
              scan={scan}
              reupload={reupload}
              setReupload={(on) => setReuploadFor(on ? scan.scanId : null)}
              onWorkflow={chooseWorkflowFor}
            />
          )}
        </>
      )}
    </Dialog>
  );
}

/**
 * Add files: choose what (path, dialog, browser), see what the walk found (live counts, kinds, size, skipped
 * with reasons, already uploaded), choose the workflow and batch (existing or new), then queue.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ScanSummary } from '../../common/api.ts';
import { Dialog } from '../components/dialog.tsx';
import { formatBytes, formatCount, plural, relativeToRoots } from '../format.ts';
import { reasonText } from '../reason-text.ts';
import { actions, useApp } from '../store/index.ts';
import { TARGET_FORM_ID, TargetForm } from './intake-target.tsx';

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
export { initialTarget } from './intake-target.tsx';

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
  // The plan's count once it answers the choices made (it leaves out copies when each content goes once).
  const plan = useApp((s) => (s.scanPlanQuestion === s.planQuestion ? s.scanPlan : null));
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
  const toQueue = plan ? plan.plan.toUpload.files : scan ? scan.files - (reupload ? 0 : before) : 0;
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
            {scan && scan.compared.files > 0
              ? `Comparing the contents of files of equal size… ${formatCount(scan.compared.done)} of ${formatCount(scan.compared.files)}`
              : `Counting… ${plural(scan?.files ?? 0, 'file')}, ${formatBytes(scan?.bytes ?? 0)}${
                  scan && scan.skippedCount > 0 ? `, ${formatCount(scan.skippedCount)} skipped` : ''
                }`}
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
              roots={paths}
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

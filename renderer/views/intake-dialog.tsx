/**
 * Add files: choose what (path, dialog, browser), see what the walk found (live counts, kinds, size, skipped
 * with reasons, already uploaded), choose the workflow and batch (existing or new), then queue.
 */
import { useState } from 'react';
import type { MediaKind } from '../../common/alegion.ts';
import type { ScanSummary, UploadTarget, WorkflowView } from '../../common/api.ts';
import { Dialog } from '../components/dialog.tsx';
import { formatBytes, formatCount, plural } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import { ENABLED_CAVEAT } from './create-batch-dialog.tsx';

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
        <button type="button" onClick={() => void actions().choosePaths('files')}>
          Add files…
        </button>
        <button type="button" onClick={() => void actions().choosePaths('folder')}>
          Add folder…
        </button>
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

function ScanFindings({ scan }: { scan: ScanSummary }) {
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
                <span className="mono" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {s.path}
                </span>
                <span className="muted">{s.reason}</span>
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

/** The workflow of the open batch, else the first that takes the kind found most, else the first. */
function defaultWorkflow(workflows: WorkflowView[], scan: ScanSummary, open: string | null): string {
  if (open && workflows.some((w) => w.id === open)) return open;
  const kinds = (Object.keys(scan.byKind) as MediaKind[]).sort(
    (a, b) => scan.byKind[b].files - scan.byKind[a].files,
  );
  const top = kinds[0];
  return workflows.find((w) => w.kind === top)?.id ?? workflows[0]?.id ?? '';
}

function TargetForm({ scan }: { scan: ScanSummary }) {
  const workflows = useApp((s) => s.workflows);
  const batches = useApp((s) => s.batches);
  const status = useApp((s) => s.intakeStatus);
  const openWorkflow = useApp((s) => (s.view.name === 'batch' ? s.view.workflowId : null));
  const [workflowId, setWorkflowId] = useState(() => defaultWorkflow(workflows, scan, openWorkflow));
  const [mode, setMode] = useState<'existing' | 'new'>('new');
  const [batchId, setBatchId] = useState('');
  const [newName, setNewName] = useState(
    () => `Upload ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
  );
  const [enabled, setEnabled] = useState(true);
  const [reupload, setReupload] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const list = batches[workflowId] ?? [];
  const chosenBatch = list.some((b) => b.id === batchId) ? batchId : (list[0]?.id ?? '');
  const toQueue = scan.files - (reupload ? 0 : scan.alreadyUploaded);

  const submit = (): void => {
    if (!workflowId) return setProblem('Choose a workflow.');
    if (mode === 'existing' && !chosenBatch) return setProblem('Choose a batch, or create a new one.');
    if (mode === 'new' && !newName.trim()) return setProblem('Name the new batch.');
    setProblem(null);
    const target: UploadTarget =
      mode === 'existing'
        ? { workflowId, batchId: chosenBatch }
        : { workflowId, newBatch: { name: newName.trim(), isEnabled: enabled } };
    void actions().queueScan(target, reupload);
  };

  return (
    <section className="stack" aria-label="Where the files go">
      <label>
        Workflow
        <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
          {workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
              {w.kind ? ` (${w.kind})` : ''}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="stack">
        <legend>Batch</legend>
        <label className="inline">
          <input type="radio" name="batch-mode" checked={mode === 'new'} onChange={() => setMode('new')} />
          New batch
        </label>
        {mode === 'new' && (
          <div className="stack" style={{ paddingLeft: 24 }}>
            <input
              type="text"
              aria-label="New batch name"
              value={newName}
              onChange={(e) => setNewName(e.target.value)}
            />
            <label className="switch">
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
              Start enabled
            </label>
            <p className="hint">{ENABLED_CAVEAT}</p>
          </div>
        )}
        <label className="inline">
          <input
            type="radio"
            name="batch-mode"
            checked={mode === 'existing'}
            onChange={() => setMode('existing')}
            disabled={list.length === 0}
          />
          Existing batch{list.length === 0 ? ' (this workflow has none yet)' : ''}
        </label>
        {mode === 'existing' && (
          <select
            aria-label="Existing batch"
            value={chosenBatch}
            onChange={(e) => setBatchId(e.target.value)}
            style={{ marginLeft: 24 }}
          >
            {list.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        )}
      </fieldset>
      {scan.alreadyUploaded > 0 && (
        <label className="switch">
          <input type="checkbox" checked={reupload} onChange={(e) => setReupload(e.target.checked)} />
          Upload the {plural(scan.alreadyUploaded, 'file')} sent before again
        </label>
      )}
      {problem && (
        <p className="inline-result error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <span className="spacer" />
        <button type="button" onClick={() => actions().closeIntake()}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          onClick={submit}
          disabled={status === 'queuing' || toQueue <= 0}
        >
          {status === 'queuing' ? 'Queuing…' : `Queue ${plural(Math.max(0, toQueue), 'file')}`}
        </button>
      </div>
    </section>
  );
}

/** The dialog; open while the intake is not closed. */
export function IntakeDialog() {
  const status = useApp((s) => s.intakeStatus);
  const scan = useApp((s) => s.scan);
  const error = useApp((s) => s.intakeError);
  const paths = useApp((s) => s.intakePaths);
  return (
    <Dialog open={status !== 'closed'} title="Add files" onClose={() => actions().closeIntake()} wide>
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
          <ScanFindings scan={scan} />
          {scan.files === 0 ? (
            <p className="inline-result error" role="alert">
              Nothing to upload here: no images, videos or documents were found.
            </p>
          ) : (
            <TargetForm scan={scan} />
          )}
        </>
      )}
    </Dialog>
  );
}

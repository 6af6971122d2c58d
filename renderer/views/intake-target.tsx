/**
 * The add dialog's form once a scan is done: where the files go (workflow, batch), the files sent before, the
 * options (each content once, a record limit), and the plan of what queuing does with those choices, asked again
 * after every change.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { ScanSummary, WorkflowUse, WorkflowView } from '../../common/api.ts';
import { BatchChoiceFields, useBatchChoice } from '../components/batch-choice.tsx';
import { formatCount, plural } from '../format.ts';
import { readRecordLimit } from '../record-limit-text.ts';
import { actions, useApp } from '../store/index.ts';
import { planKey } from '../store/intake-slice.ts';
import type { QueueOptions } from '../store/intake-slice.ts';
import type { View } from '../store/navigation-slice.ts';
import { guessKind, kindNote, kindWarning, suggestWorkflow } from '../workflow-kind.ts';
import { PlanOptions, PlanSummary } from './intake-plan.tsx';

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
export const TARGET_FORM_ID = 'intake-target';

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

export function TargetForm({
  scan,
  roots,
  reupload,
  setReupload,
  onWorkflow,
}: {
  scan: ScanSummary;
  roots: readonly string[];
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
  const plan = useApp((s) => s.scanPlan);
  const current = useApp((s) => s.scanPlanQuestion === s.planQuestion);
  const planError = useApp((s) => s.planError);
  const [start] = useState(() => initialTarget(view, workflows, batches, scan, uses));
  const choice = useBatchChoice(start);
  const workflowId = choice.workflowId;
  useEffect(() => onWorkflow(workflowId), [workflowId, onWorkflow]);
  const [problem, setProblem] = useState<string | null>(null);
  const [skipDuplicateContent, setSkipDuplicateContent] = useState(false);
  const [limitText, setLimitText] = useState('');
  const [limitProblem, setLimitProblem] = useState<string | null>(null);
  const limit = readRecordLimit(limitText);

  // The plan follows every choice (a limit being typed counts as none until it is one).
  const target = choice.target();
  const options: QueueOptions = {
    reupload,
    skipDuplicateContent,
    ...('limit' in limit && limit.limit !== null ? { maxRecords: limit.limit } : {}),
  };
  const question = typeof target === 'string' ? null : planKey(target, options);
  useEffect(() => {
    if (question && typeof target !== 'string') actions().askPlan(target, options);
    // The key holds every choice the plan depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [question]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const chosen = choice.target();
    if (typeof chosen === 'string') return setProblem(chosen);
    setProblem(null);
    if ('problem' in limit) {
      setLimitProblem(limit.problem);
      document.getElementById('record-limit')?.focus();
      return;
    }
    setLimitProblem(null);
    void actions().queueScan(chosen, options);
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
            // In braces: scrollIntoView may return a promise, and a ref callback's result is its cleanup.
            ref={(el) => {
              el?.scrollIntoView({ block: 'nearest' });
            }}
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
      <PlanOptions
        skipDuplicateContent={skipDuplicateContent}
        setSkipDuplicateContent={setSkipDuplicateContent}
        limitText={limitText}
        setLimitText={(text) => {
          setLimitText(text);
          // A problem shown goes as soon as the field holds a limit again; a new one waits for Queue.
          if (limitProblem && !('problem' in readRecordLimit(text))) setLimitProblem(null);
        }}
        limitProblem={limitProblem}
      />
      {problem && (
        <p className="inline-result error" role="alert">
          {problem}
        </p>
      )}
      {planError && (
        <p className="inline-result error" role="alert">
          The plan could not be made: {planError}
        </p>
      )}
      {plan && question && (
        <PlanSummary
          plan={plan}
          current={current}
          workflowId={workflowId}
          roots={roots}
          skipDuplicateContent={skipDuplicateContent}
        />
      )}
    </form>
  );
}

/**
 * The add dialog's plan: what queuing does with the choices made, before anything is created (the files and bytes
 * uploaded by kind, the records created and their batch, the files skipped or failing by reason, each reason one
 * click from its files, and the sets of identical files), with the two options that change it: each content once,
 * and a record limit.
 */
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { ScanPlan } from '../../common/api.ts';
import type { ReasonGroup } from '../../common/upload-plan.ts';
import { formatBytes, formatCount, plural, relativeToRoots } from '../format.ts';
import { reasonText } from '../reason-text.ts';
import { useApp } from '../store/index.ts';
import './intake-plan.css';

const KIND_WORDS = {
  image: ['image', 'images'],
  video: ['video', 'videos'],
  text: ['document', 'documents'],
} as const;

/** How a group's reason reads in the plan: the engine's words made a heading. */
function groupTitle(reason: string): string {
  if (reason === 'already uploaded') return 'uploaded to this workflow before';
  if (reason === 'identical content') return 'identical to another file, uploaded once';
  return reasonText(reason).replace(/\.$/, '');
}

/** One reason, its count, and its files behind a toggle. */
function ReasonFiles({ group, roots }: { group: ReasonGroup; roots: readonly string[] }) {
  return (
    <li>
      <details>
        <summary>
          <strong className="num">{formatCount(group.files)}</strong> {groupTitle(group.reason)}
        </summary>
        <ul className="skipped-list" aria-label={`Files ${groupTitle(group.reason)}`}>
          {group.examples.map((path) => (
            <li key={path} className="mono" title={path}>
              {relativeToRoots(path, roots)}
            </li>
          ))}
          {group.files > group.examples.length && (
            <li className="muted">and {formatCount(group.files - group.examples.length)} more</li>
          )}
        </ul>
      </details>
    </li>
  );
}

/** Files by reason under a heading that counts them all ("Skips 6 files"); nothing when there are none. */
function ReasonGroups({
  groups,
  roots,
  testId,
  heading,
}: {
  groups: ReasonGroup[];
  roots: readonly string[];
  testId: string;
  heading: (files: string) => string;
}) {
  const files = groups.reduce((sum, g) => sum + g.files, 0);
  if (files === 0) return null;
  return (
    <div className="stack plan-group">
      <p data-testid={testId}>
        <strong>{heading(plural(files, 'file'))}</strong>
      </p>
      <ul className="plan-reasons">
        {groups.map((group) => (
          <ReasonFiles key={group.reason} group={group} roots={roots} />
        ))}
      </ul>
    </div>
  );
}

/** Where the records go, in words. */
function useBatchWords(plan: ScanPlan, workflowId: string): ReactNode {
  const name = useApp((s) => s.batches[workflowId]?.find((b) => b.id === plan.batch.id)?.name);
  if (plan.batch.newName && plan.batch.id)
    return <>the batch “{plan.batch.newName}” (made by an earlier add)</>;
  if (plan.batch.newName) return <>a new batch “{plan.batch.newName}”, created when you queue</>;
  return <>the batch “{name ?? plan.batch.id}”</>;
}

/** The plan of the scan with the dialog's choices. */
export function PlanSummary({
  plan,
  current,
  workflowId,
  roots,
  skipDuplicateContent,
}: {
  plan: ScanPlan;
  /** False while the plan of newer choices is on its way (this one is shown dimmed meanwhile). */
  current: boolean;
  workflowId: string;
  roots: readonly string[];
  skipDuplicateContent: boolean;
}) {
  const { toUpload, recordsToCreate, skipped, failing, identical } = plan.plan;
  const batch = useBatchWords(plan, workflowId);
  const kinds = (Object.keys(KIND_WORDS) as (keyof typeof KIND_WORDS)[])
    .filter((kind) => (toUpload.byKind[kind]?.files ?? 0) > 0)
    .map((kind) => {
      const tally = toUpload.byKind[kind] ?? { files: 0, bytes: 0 };
      const [one, many] = KIND_WORDS[kind];
      return `${plural(tally.files, one, many)} (${formatBytes(tally.bytes)})`;
    });
  const held = toUpload.files - recordsToCreate;
  const copies = identical.reduce((sum, set) => sum + set.files - 1, 0);
  return (
    <section
      className={current ? 'stack plan' : 'stack plan stale'}
      aria-label="Plan"
      aria-busy={!current}
      data-testid="plan"
    >
      <h3>What queuing does</h3>
      <p className="num" data-testid="plan-upload">
        <strong>Uploads {plural(toUpload.files, 'file')}</strong>, {formatBytes(toUpload.bytes)}
        {kinds.length > 0 && <>: {kinds.join(', ')}</>}
      </p>
      <p className="num" data-testid="plan-records">
        <strong>Creates {plural(recordsToCreate, 'record')}</strong> in {batch}
      </p>
      {held > 0 && (
        <p className="inline-result warning" data-testid="plan-held">
          The limit stops at {plural(recordsToCreate, 'record')}: {plural(held, 'file')}{' '}
          {held === 1 ? 'stays' : 'stay'} in the queue, held until you raise or remove the limit.
        </p>
      )}
      <ReasonGroups groups={skipped} roots={roots} testId="plan-skipped" heading={(n) => `Skips ${n}`} />
      <ReasonGroups groups={failing} roots={roots} testId="plan-failing" heading={(n) => `${n} would fail`} />
      {plan.identicalSets > 0 && (
        <details data-testid="plan-identical">
          <summary>
            <strong>{plural(plan.identicalSets, 'set')} of files with identical content</strong> (
            {plural(copies + plan.identicalSets, 'file')}):{' '}
            {skipDuplicateContent
              ? 'each content is uploaded once.'
              : 'each copy is uploaded and gets its own record.'}
          </summary>
          <ul className="skipped-list identical-sets">
            {identical.map((set) => (
              <li key={set.md5}>
                <span className="mono">
                  {set.paths.map((path) => relativeToRoots(path, roots)).join(' = ')}
                </span>
                {set.files > set.paths.length && (
                  <span className="muted">and {formatCount(set.files - set.paths.length)} more</span>
                )}
              </li>
            ))}
            {plan.identicalSets > identical.length && (
              <li className="muted">and {plural(plan.identicalSets - identical.length, 'more set')}</li>
            )}
          </ul>
        </details>
      )}
    </section>
  );
}

/** The options that change the plan: each content once, and the most records to create. */
export function PlanOptions({
  skipDuplicateContent,
  setSkipDuplicateContent,
  limitText,
  setLimitText,
  limitProblem,
}: {
  skipDuplicateContent: boolean;
  setSkipDuplicateContent: (on: boolean) => void;
  limitText: string;
  setLimitText: (text: string) => void;
  /** Why the typed limit is not one, once the user tried to queue with it. */
  limitProblem: string | null;
}) {
  // In a short window the field may sit at the fold: a new reason is brought into view with it.
  const problemRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    // In braces: scrollIntoView may return a promise, which an effect must not.
    problemRef.current?.scrollIntoView({ block: 'nearest' });
  }, [limitProblem]);
  return (
    <div className="stack plan-options">
      <label className="switch">
        <input
          type="checkbox"
          checked={skipDuplicateContent}
          onChange={(e) => setSkipDuplicateContent(e.target.checked)}
        />
        Upload identical files once
      </label>
      <div className="row limit-field">
        <label htmlFor="record-limit">Create at most</label>
        <input
          id="record-limit"
          type="text"
          inputMode="numeric"
          className="num"
          value={limitText}
          onChange={(e) => setLimitText(e.target.value)}
          aria-label="Create at most N records"
          aria-invalid={limitProblem ? true : undefined}
          aria-describedby={limitProblem ? 'record-limit-problem record-limit-hint' : 'record-limit-hint'}
          placeholder="no limit"
          size={12}
        />
        <span aria-hidden="true">records</span>
      </div>
      <span id="record-limit-hint" className="hint">
        Records cost money: files past the limit wait in the queue until you raise or remove it.
      </span>
      {limitProblem && (
        <p
          id="record-limit-problem"
          className="inline-result error"
          role="alert"
          data-testid="limit-problem"
          ref={problemRef}
        >
          {limitProblem}
        </p>
      )}
    </div>
  );
}

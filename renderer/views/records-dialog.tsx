/**
 * Import records: name a JSON, JSONL or CSV file of input records and the batch, check the file (rows, the
 * encoding and separator used, rows imported into that batch before, the first bad line), then import. Rows
 * imported before are left out unless the user asks to import them again.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { RecordsPlan, WorkflowView } from '../../common/api.ts';
import { BatchChoiceFields, useBatchChoice } from '../components/batch-choice.tsx';
import { Dialog } from '../components/dialog.tsx';
import { formatCount, formatDateTime, plural } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import type { RecordsReadChoice } from '../store/records-slice.ts';

const FORM_ID = 'records-file';

/** Encodings offered besides detection: what spreadsheets commonly write (any WHATWG label works in the CLI). */
const ENCODINGS: { label: string; value: string }[] = [
  { value: '', label: 'Detect (UTF-8, or UTF-16 by its byte-order mark)' },
  { value: 'windows-1252', label: 'Windows-1252 (Excel “CSV (Comma delimited)”, Western Europe)' },
  { value: 'windows-1250', label: 'Windows-1250 (Central Europe)' },
  { value: 'windows-1251', label: 'Windows-1251 (Cyrillic)' },
  { value: 'shift_jis', label: 'Shift JIS (Japanese)' },
  { value: 'gbk', label: 'GBK (Simplified Chinese)' },
  { value: 'utf-16le', label: 'UTF-16 LE without a byte-order mark' },
];

const SEPARATOR_WORDS = { comma: 'comma', semicolon: 'semicolon', tab: 'tab' } as const;

/** The workflow for records: the first whose kind is records, else the first. */
function recordsWorkflow(workflows: WorkflowView[]): string {
  return workflows.find((w) => w.kind === 'records')?.id ?? workflows[0]?.id ?? '';
}

/** An encoding label as people write it: UTF-8, UTF-16 LE, Windows-1252, SHIFT_JIS. */
function encodingName(label: string): string {
  if (/^windows-/i.test(label)) return `Windows-${label.slice(8)}`;
  return label.toUpperCase().replace(/^UTF-16(LE|BE)$/, 'UTF-16 $1');
}

/** How the file was read, in words: "CSV · UTF-8 (detected) · semicolon-separated (detected from the header)". */
function readingText(plan: RecordsPlan): string {
  const parts: string[] = [];
  if (plan.format) parts.push(plan.format === 'jsonl' ? 'JSON lines' : plan.format.toUpperCase());
  if (plan.encoding) {
    const how = { bom: 'by its byte-order mark', given: 'as chosen', default: 'the default' } as const;
    parts.push(`${encodingName(plan.encoding)} (${plan.encodingSource ? how[plan.encodingSource] : 'used'})`);
  }
  if (plan.delimiter)
    parts.push(
      `${SEPARATOR_WORDS[plan.delimiter]}-separated (${plan.delimiterSource === 'given' ? 'as chosen' : 'detected from the header'})`,
    );
  return parts.join(' · ');
}

/** The engine's advice names the CLI's flag; here the same choice is the Encoding field. */
function inAppWords(message: string): string {
  return message.replace(/pass --encoding ([\w-]+)/, (_, label: string) => `choose ${label} under Encoding`);
}

function PlanView({
  plan,
  reimport,
  setReimport,
}: {
  plan: RecordsPlan;
  reimport: boolean;
  setReimport: (on: boolean) => void;
}) {
  const first = plan.errors[0];
  return (
    <section className="stack" aria-label="What the file holds" data-testid="records-plan">
      {first ? (
        <div className="inline-result error" role="alert">
          <strong>{first.line > 0 ? `Line ${formatCount(first.line)}: ` : ''}</strong>
          {inAppWords(first.message)}
          {plan.errors.length > 1 && (
            <span className="muted"> (and {plural(plan.errors.length - 1, 'more problem')})</span>
          )}
          <div className="small">Nothing is sent while the file has a problem.</div>
        </div>
      ) : (
        <p className="num">
          <strong>{plural(plan.rows, 'record')}</strong> · {readingText(plan)}
        </p>
      )}
      {plan.alreadyImported > 0 && (
        <>
          <p className="num">
            {plural(plan.alreadyImported, 'record')} imported into this batch before
            {plan.alreadyImportedAt
              ? `, on ${formatDateTime(new Date(plan.alreadyImportedAt).toISOString())}`
              : ''}
            : {reimport ? 'they are sent again.' : 'they are left out.'}
          </p>
          <label className="switch">
            <input type="checkbox" checked={reimport} onChange={(e) => setReimport(e.target.checked)} />
            Import the {plural(plan.alreadyImported, 'record')} imported before again
          </label>
        </>
      )}
      {plan.alreadyQueued > 0 && (
        <p className="num muted">
          {plural(plan.alreadyQueued, 'record')} of this file are in the queue already.
        </p>
      )}
    </section>
  );
}

/** A request as text, to tell whether the plan shown is still the plan for what the form says now. */
function requestKey(path: string, target: unknown, read: RecordsReadChoice): string {
  return JSON.stringify({ path: path.trim(), target, read });
}

/** The form's state, held by the open dialog so the footer's button can read the plan too. */
function useRecordsForm() {
  const workflows = useApp((s) => s.workflows);
  const status = useApp((s) => s.recordsStatus);
  const planned = useApp((s) => s.recordsPlan);
  const native = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  const choice = useBatchChoice(
    { workflowId: recordsWorkflow(workflows), mode: 'new', batchId: '' },
    'Records',
  );
  const [path, setPath] = useState('');
  const [read, setRead] = useState<RecordsReadChoice>({ encoding: '', delimiter: '' });
  const [reimport, setReimport] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const current =
    planned &&
    requestKey(planned.path, planned.target, planned.read) === requestKey(path, choice.target(), read)
      ? planned.plan
      : null;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const target = choice.target();
    if (!path.trim()) return setProblem('Name the records file.');
    if (typeof target === 'string') return setProblem(target);
    setProblem(null);
    if (current && current.errors.length === 0) void actions().importRecords(reimport);
    else void actions().planRecords(path.trim(), target, read);
  };
  const choose = async (): Promise<void> => {
    const chosen = await actions().chooseRecordsFile();
    if (chosen) setPath(chosen);
  };
  const sending = current ? current.toImport + (reimport ? current.alreadyImported : 0) : 0;
  const fields = { native, choice, path, setPath, read, setRead, reimport, setReimport, problem, current };
  return { ...fields, submit, choose, status, sending };
}

type RecordsFormState = ReturnType<typeof useRecordsForm>;

function RecordsForm({ form }: { form: RecordsFormState }) {
  const { native, choice, path, setPath, read, setRead, reimport, setReimport, problem, current } = form;
  const { submit, choose } = form;
  return (
    <form id={FORM_ID} className="stack" aria-label="Records file and batch" onSubmit={submit}>
      <label>
        Records file (JSON, JSONL or CSV)
        <span className="row">
          <input
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/data/records.csv"
            spellCheck={false}
            style={{ flex: 1 }}
            className="mono"
          />
          {native && (
            <button type="button" onClick={() => void choose()}>
              Choose…
            </button>
          )}
        </span>
      </label>
      <div className="row wrap">
        <label style={{ flex: 2 }}>
          Encoding
          <select value={read.encoding} onChange={(e) => setRead({ ...read, encoding: e.target.value })}>
            {ENCODINGS.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
        </label>
        <label style={{ flex: 1 }}>
          CSV separator
          <select
            value={read.delimiter}
            onChange={(e) =>
              setRead({ ...read, delimiter: e.target.value as RecordsReadChoice['delimiter'] })
            }
          >
            <option value="">Detect from the header</option>
            <option value="comma">Comma</option>
            <option value="semicolon">Semicolon</option>
            <option value="tab">Tab</option>
          </select>
        </label>
      </div>
      <BatchChoiceFields choice={choice} />
      {current && <PlanView plan={current} reimport={reimport} setReimport={setReimport} />}
      {problem && (
        <p className="inline-result error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** The footer's main button submits the form (Enter in a field does the same); it says what pressing it does next. */
function RecordsSubmit({
  status,
  plan,
  sending,
}: {
  status: string;
  plan: RecordsPlan | null;
  sending: number;
}) {
  const busy = status === 'planning' || status === 'importing';
  const label =
    status === 'planning'
      ? 'Checking…'
      : status === 'importing'
        ? 'Importing…'
        : plan && plan.errors.length === 0
          ? sending > 0
            ? `Import ${plural(sending, 'record')}`
            : 'Nothing new to import'
          : plan
            ? 'Check again'
            : 'Check file';
  const disabled = busy || (!!plan && plan.errors.length === 0 && sending === 0);
  return (
    <button type="submit" form={FORM_ID} className="primary" disabled={disabled}>
      {label}
    </button>
  );
}

/** The dialog; open while the records import is not closed, with a fresh form each time it opens. */
export function RecordsDialog() {
  const status = useApp((s) => s.recordsStatus);
  return status === 'closed' ? null : <OpenRecordsDialog />;
}

function OpenRecordsDialog() {
  const error = useApp((s) => s.recordsError);
  const form = useRecordsForm();
  return (
    <Dialog
      open
      title="Import records"
      onClose={() => actions().closeRecords()}
      wide
      footer={
        <>
          <button type="button" onClick={() => actions().closeRecords()}>
            Cancel
          </button>
          <RecordsSubmit status={form.status} plan={form.current} sending={form.sending} />
        </>
      }
    >
      <RecordsForm form={form} />
      {error && (
        <p className="inline-result error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

/** Create an export: workflow, batches, format, which records, destination, extract or not. */
import { useState } from 'react';
import type { BatchView, ExportArgs, WorkflowView } from '../../common/api.ts';
import { errorMessage, plural } from '../format.ts';
import { actions, useApp } from '../store/index.ts';

type Range = 'all' | 'since-last' | 'dates';

/** Start of a local day, or end of it, as an ISO time with offset. */
function dayBound(date: string, end: boolean): string | undefined {
  if (!date) return undefined;
  const d = new Date(`${date}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The workflow an export starts on when none was asked for: the first with batches, else the first. */
export function defaultExportWorkflow(
  workflows: readonly WorkflowView[],
  batches: Readonly<Record<string, readonly BatchView[]>>,
): string {
  return workflows.find((w) => (batches[w.id]?.length ?? 0) > 0)?.id ?? workflows[0]?.id ?? '';
}

/**
 * The form; it keeps what was typed when the engine refuses. Opened from a batch's "Export…", it starts on that
 * batch's workflow with the batch ticked; otherwise on the first workflow that has batches.
 */
export function ExportForm() {
  const workflows = useApp((s) => s.workflows);
  const batches = useApp((s) => s.batches);
  const downloadDir = useApp((s) => s.settings?.downloadDir ?? '');
  const nativeDialogs = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  const seed = useApp((s) => (s.view.name === 'exports' ? s.view : null));
  const [chosen, setWorkflowId] = useState(() => seed?.workflowId ?? '');
  const [picked, setPicked] = useState<string[]>(() => (seed?.batchId ? [seed.batchId] : []));
  const [format, setFormat] = useState<'zip' | 'json'>('zip');
  const [range, setRange] = useState<Range>('all');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [destination, setDestination] = useState('');
  const [extract, setExtract] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string; jobId?: string } | null>(null);
  // Until one is chosen (or while the workflows load), the first workflow with batches, else the first.
  const workflowId = workflows.some((w) => w.id === chosen)
    ? chosen
    : defaultExportWorkflow(workflows, batches);
  const list = batches[workflowId] ?? [];
  const ticked = picked.filter((id) => list.some((b) => b.id === id)).length;
  // "Export … started." only until the job shows in the history below, which then tells the rest.
  const inHistory = useApp((s) =>
    message?.jobId ? s.exportJobs.some((j) => j.id === message.jobId) : false,
  );

  const submit = async (): Promise<void> => {
    if (!workflowId) return setMessage({ ok: false, text: 'Choose a workflow.' });
    if (range === 'dates' && !from && !to)
      return setMessage({ ok: false, text: 'Give a start date, an end date, or both.' });
    const args: ExportArgs = {
      workflowId,
      batchIds: picked.filter((id) => list.some((b) => b.id === id)),
      format,
      sinceLast: range === 'since-last',
      minCreatedAt: range === 'dates' ? dayBound(from, false) : undefined,
      maxCreatedAt: range === 'dates' ? dayBound(to, true) : undefined,
      destination: destination.trim() || undefined,
      extract: format === 'zip' && extract,
    };
    setBusy(true);
    setMessage(null);
    try {
      const job = await actions().startExport(args);
      setMessage({ ok: true, text: `Export ${job.filename} started.`, jobId: job.id });
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="new-export">
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <h2 id="new-export">New export</h2>
        <div className="form-grid">
          <label>
            Workflow
            <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
              {workflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value === 'json' ? 'json' : 'zip')}>
              <option value="zip">ZIP (results and files)</option>
              <option value="json">JSON (results only)</option>
            </select>
          </label>
          <fieldset className="full">
            <legend>Batches</legend>
            {list.length === 0 ? (
              <p className="small muted">
                This workflow has no batches yet: the export covers the whole workflow.
              </p>
            ) : (
              <div className="row wrap">
                {list.map((b) => (
                  <label key={b.id} className="inline">
                    <input
                      type="checkbox"
                      checked={picked.includes(b.id)}
                      onChange={(e) =>
                        setPicked((p) => (e.target.checked ? [...p, b.id] : p.filter((x) => x !== b.id)))
                      }
                    />
                    {b.name}
                  </label>
                ))}
                <span className="small muted">
                  {ticked ? `${plural(ticked, 'batch', 'batches')} ticked` : 'None ticked: all batches'}
                </span>
              </div>
            )}
          </fieldset>
          <fieldset className="full">
            <legend>Records</legend>
            <div className="row wrap">
              <label className="inline">
                <input type="radio" name="range" checked={range === 'all'} onChange={() => setRange('all')} />{' '}
                Everything
              </label>
              <label className="inline">
                <input
                  type="radio"
                  name="range"
                  checked={range === 'since-last'}
                  onChange={() => setRange('since-last')}
                />{' '}
                New since the last export
              </label>
              <label className="inline">
                <input
                  type="radio"
                  name="range"
                  checked={range === 'dates'}
                  onChange={() => setRange('dates')}
                />{' '}
                Created between
              </label>
              {range === 'dates' && (
                <>
                  <input
                    type="date"
                    aria-label="From"
                    value={from}
                    onChange={(e) => setFrom(e.target.value)}
                  />
                  <span className="muted">and</span>
                  <input type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
                </>
              )}
            </div>
          </fieldset>
          <label className="full">
            Destination
            <span className="row">
              <input
                type="text"
                className="mono"
                value={destination}
                onChange={(e) => setDestination(e.target.value)}
                placeholder={downloadDir || 'The download folder'}
                style={{ flex: 1 }}
              />
              {nativeDialogs && (
                <button
                  type="button"
                  onClick={() =>
                    void actions()
                      .chooseDownloadFolder()
                      .then((p) => p && setDestination(p))
                  }
                >
                  Choose…
                </button>
              )}
            </span>
          </label>
          <label className="switch full">
            <input
              type="checkbox"
              checked={format === 'zip' && extract}
              disabled={format !== 'zip'}
              onChange={(e) => setExtract(e.target.checked)}
            />
            Extract the ZIP after download
          </label>
        </div>
        {message && !(message.ok && inHistory) && (
          <p
            className={`inline-result ${message.ok ? 'ok' : 'error'}`}
            role={message.ok ? 'status' : 'alert'}
          >
            {message.text}
          </p>
        )}
        <div className="row">
          <span className="spacer" />
          <button type="submit" className="primary" disabled={busy || !workflowId}>
            {busy ? 'Starting…' : 'Start export'}
          </button>
        </div>
      </form>
    </section>
  );
}

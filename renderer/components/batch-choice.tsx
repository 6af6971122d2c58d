/**
 * Where something goes: a workflow, then an existing batch of it or a new batch by name (started enabled or not).
 * Shared by adding files and importing records, so both ask the same way.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { UploadTarget } from '../../common/api.ts';
import { useApp } from '../store/index.ts';
import { ENABLED_CAVEAT } from '../views/create-batch-dialog.tsx';

/** "Upload 2026-06-14 09:05" in the user's own time zone: the default name of a new batch. */
export function defaultBatchName(now: Date, prefix = 'Upload'): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  return `${prefix} ${date} ${two(now.getHours())}:${two(now.getMinutes())}`;
}

/** The state of a workflow-and-batch choice. */
interface BatchChoice {
  workflowId: string;
  mode: 'existing' | 'new';
  batchId: string;
  newName: string;
  enabled: boolean;
  chooseWorkflow: (id: string) => void;
  setMode: (mode: 'existing' | 'new') => void;
  setBatchId: (id: string) => void;
  setNewName: (name: string) => void;
  setEnabled: (on: boolean) => void;
  /** The target chosen, or what is missing in words. */
  target: () => UploadTarget | string;
}

/** Holds a workflow-and-batch choice, starting from `start`. */
export function useBatchChoice(
  start: { workflowId: string; mode: 'existing' | 'new'; batchId: string },
  namePrefix?: string,
): BatchChoice {
  const batches = useApp((s) => s.batches);
  const [workflowId, setWorkflowId] = useState(start.workflowId);
  const [mode, setMode] = useState(start.mode);
  const [batchId, setBatchId] = useState(start.batchId);
  const [newName, setNewName] = useState(() => defaultBatchName(new Date(), namePrefix));
  const [enabled, setEnabled] = useState(true);
  const list = batches[workflowId] ?? [];
  const chosen = list.some((b) => b.id === batchId) ? batchId : (list[0]?.id ?? '');
  return {
    workflowId,
    mode,
    batchId: chosen,
    newName,
    enabled,
    chooseWorkflow: (id) => {
      setWorkflowId(id);
      if ((batches[id] ?? []).length === 0) setMode('new');
    },
    setMode,
    setBatchId,
    setNewName,
    setEnabled,
    target: () => {
      if (!workflowId) return 'Choose a workflow.';
      if (mode === 'existing' && !chosen) return 'Choose a batch, or create a new one.';
      if (mode === 'new' && !newName.trim()) return 'Name the new batch.';
      return mode === 'existing'
        ? { workflowId, batchId: chosen }
        : { workflowId, newBatch: { name: newName.trim(), isEnabled: enabled } };
    },
  };
}

/**
 * The workflow select and the batch fieldset of a choice. `workflowNote` goes under the workflow (what it takes),
 * `children` at the end of the batch fieldset (what went wrong with the batch, next to it).
 */
export function BatchChoiceFields({
  choice,
  autoFocus = false,
  workflowNote,
  children,
}: {
  choice: BatchChoice;
  /** Focus the workflow: the next decision once what is to be sent is known. */
  autoFocus?: boolean;
  workflowNote?: ReactNode;
  children?: ReactNode;
}) {
  const workflows = useApp((s) => s.workflows);
  const batches = useApp((s) => s.batches);
  const list = batches[choice.workflowId] ?? [];
  return (
    <>
      <label>
        Workflow
        <select
          autoFocus={autoFocus}
          value={choice.workflowId}
          onChange={(e) => choice.chooseWorkflow(e.target.value)}
        >
          {workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
              {w.kind ? ` (${w.kind})` : ''}
            </option>
          ))}
        </select>
        {workflowNote}
      </label>
      <fieldset className="stack">
        <legend>Batch</legend>
        <label className="inline">
          <input
            type="radio"
            name="batch-mode"
            checked={choice.mode === 'existing'}
            onChange={() => choice.setMode('existing')}
            disabled={list.length === 0}
          />
          Existing batch{list.length === 0 ? ' (this workflow has none yet)' : ''}
        </label>
        {list.length > 0 && (
          <select
            aria-label="Existing batch"
            value={choice.batchId}
            onChange={(e) => {
              choice.setBatchId(e.target.value);
              choice.setMode('existing');
            }}
            style={{ marginLeft: 24 }}
          >
            {list.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        )}
        <label className="inline">
          <input
            type="radio"
            name="batch-mode"
            checked={choice.mode === 'new'}
            onChange={() => choice.setMode('new')}
          />
          New batch
        </label>
        <div className="stack" style={{ paddingLeft: 24 }}>
          {/* Typing a name means a new batch. */}
          <input
            type="text"
            aria-label="New batch name"
            value={choice.newName}
            onChange={(e) => {
              choice.setNewName(e.target.value);
              choice.setMode('new');
            }}
          />
          {choice.mode === 'new' && (
            <>
              <label className="switch">
                <input
                  type="checkbox"
                  checked={choice.enabled}
                  onChange={(e) => choice.setEnabled(e.target.checked)}
                />
                Start enabled
              </label>
              <p className="hint">{ENABLED_CAVEAT}</p>
            </>
          )}
        </div>
        {children}
      </fieldset>
    </>
  );
}

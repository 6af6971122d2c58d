/**
 * Workflows and their batches, each batch with its record count, how much of it is final, and a thin completion
 * bar split like the batch view's (complete, exception, canceled, not final yet).
 */
import { useState } from 'react';
import type { BatchView, WorkflowView } from '../../common/api.ts';
import { CompletionBar } from '../components/completion-bar.tsx';
import { ErrorState, LoadingState, EmptyState } from '../components/panel-state.tsx';
import { batchFigures } from '../store/batch-figures.ts';
import { actions, useApp } from '../store/index.ts';
import { CreateBatchDialog } from './create-batch-dialog.tsx';

function BatchLink({ batch }: { batch: BatchView }) {
  const completion = useApp((s) => s.completions[batch.id] ?? batch.completion);
  const current = useApp((s) => s.view.name === 'batch' && s.view.batchId === batch.id);
  // Final is complete + exceptions + canceled; the bar shows each part so a batch of mostly exceptions
  // does not read as a green 100%, and the files still coming as not final yet.
  const { expected, results, exceptions, canceled, done, summary } = batchFigures(batch, completion);
  return (
    <li>
      <button
        type="button"
        className="batch-link"
        aria-current={current ? 'page' : undefined}
        onClick={() => actions().navigate({ name: 'batch', workflowId: batch.workflowId, batchId: batch.id })}
      >
        <span className="line">
          <span className="name">{batch.name}</span>
          {done ? (
            <span className="badge done">Done</span>
          ) : (
            !batch.isEnabled && <span className="badge">Disabled</span>
          )}
        </span>
        <span className="meta num" data-testid="batch-summary">
          {summary}
        </span>
        <CompletionBar counts={{ records: expected, results, exceptions, canceled }} />
      </button>
    </li>
  );
}

function WorkflowGroup({ workflow, onNewBatch }: { workflow: WorkflowView; onNewBatch: () => void }) {
  const batches = useApp((s) => s.batches[workflow.id]);
  const status = useApp((s) => s.batchesStatus[workflow.id] ?? 'idle');
  return (
    <li className="wf">
      <div className="wf-head">
        <span
          className="wf-name"
          title={workflow.description ? `${workflow.name} — ${workflow.description}` : workflow.name}
        >
          {workflow.name}
        </span>
        {workflow.kind && <span className="wf-kind">{workflow.kind}</span>}
        {/* Icon-only, so the workflow's name keeps the width; the name and tooltip say what it does. */}
        <button
          type="button"
          className="ghost small icon-button"
          onClick={onNewBatch}
          aria-label={`New batch in ${workflow.name}`}
          title={`New batch in ${workflow.name}`}
        >
          <span aria-hidden="true">+</span>
        </button>
      </div>
      {status === 'loading' && !batches && (
        <p className="small muted" style={{ padding: '2px 16px' }}>
          Loading batches…
        </p>
      )}
      {status === 'error' && (
        <button type="button" className="ghost small" onClick={() => void actions().loadBatches(workflow.id)}>
          Batches failed to load. Retry
        </button>
      )}
      {batches && batches.length === 0 && (
        <p className="small muted" style={{ padding: '2px 16px' }}>
          No batches yet.
        </p>
      )}
      {batches && batches.length > 0 && (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={`Batches of ${workflow.name}`}>
          {batches.map((b) => (
            <BatchLink key={b.id} batch={b} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The sidebar. */
export function Sidebar() {
  const workflows = useApp((s) => s.workflows);
  const status = useApp((s) => s.workflowsStatus);
  const error = useApp((s) => s.workflowsError);
  const [newBatchFor, setNewBatchFor] = useState<WorkflowView | null>(null);
  return (
    <nav className="sidebar" aria-label="Workflows and batches">
      <h2>Workflows</h2>
      {status === 'loading' && workflows.length === 0 && <LoadingState label="Loading workflows…" />}
      {status === 'error' && (
        <ErrorState
          title="Workflows did not load"
          message={error ?? ''}
          onRetry={() => void actions().loadWorkspace()}
        />
      )}
      {status === 'ready' && workflows.length === 0 && (
        <EmptyState title="No workflows">
          Ask your Alegion success manager to set one up for this account.
        </EmptyState>
      )}
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {workflows.map((w) => (
          <WorkflowGroup key={w.id} workflow={w} onNewBatch={() => setNewBatchFor(w)} />
        ))}
      </ul>
      <CreateBatchDialog workflow={newBatchFor} onClose={() => setNewBatchFor(null)} />
    </nav>
  );
}

/** Creates a batch in a workflow: a name, and whether it starts enabled (with the tutorial's caveat). */
import { useState } from 'react';
import type { WorkflowView } from '../../common/api.ts';
import { Dialog } from '../components/dialog.tsx';
import { errorMessage } from '../format.ts';
import { actions } from '../store/index.ts';

const REQUIRED = 'Batch name is required.';

export const ENABLED_CAVEAT =
  'Whether a batch starts enabled depends on your workflow; ask your Alegion success manager if unsure.';

/** The dialog; closed while `workflow` is null. The typed name survives a failed attempt. */
export function CreateBatchDialog({
  workflow,
  onClose,
}: {
  workflow: WorkflowView | null;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async (): Promise<void> => {
    if (!workflow) return;
    if (!name.trim()) {
      setError(REQUIRED);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const batch = await actions().createBatch({
        workflowId: workflow.id,
        name: name.trim(),
        isEnabled: enabled,
      });
      setName('');
      onClose();
      actions().navigate({ name: 'batch', workflowId: workflow.id, batchId: batch.id });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={workflow !== null}
      title={`New batch in ${workflow?.name ?? ''}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => void create()} disabled={busy}>
            {busy ? 'Creating…' : 'Create batch'}
          </button>
        </>
      }
    >
      <label>
        Batch name
        <input
          type="text"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            // A typed name answers "Batch name is required."; a server error stays until the next try.
            if (e.target.value.trim()) setError((current) => (current === REQUIRED ? null : current));
          }}
          onKeyDown={(e) => e.key === 'Enter' && void create()}
          aria-invalid={error !== null && !name.trim()}
          autoFocus
        />
      </label>
      <label className="switch">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Start enabled (labelers can pick up its records)
      </label>
      <p className="hint">{ENABLED_CAVEAT}</p>
      {error && (
        <p className="inline-result error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

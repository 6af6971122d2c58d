/** Creates a batch in a workflow: a name, and whether it starts enabled (with the tutorial's caveat). */
import { useState } from 'react';
import type { WorkflowView } from '../../common/api.ts';
import { BatchNameField, useBatchNameForm } from '../components/batch-name-field.tsx';
import { Dialog } from '../components/dialog.tsx';
import { actions } from '../store/index.ts';

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
  const [enabled, setEnabled] = useState(true);
  const form = useBatchNameForm(
    async (name) => {
      if (!workflow) return;
      const batch = await actions().createBatch({ workflowId: workflow.id, name, isEnabled: enabled });
      onClose();
      actions().navigate({ name: 'batch', workflowId: workflow.id, batchId: batch.id });
    },
    { clearAfter: true },
  );
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
          <button type="button" className="primary" onClick={() => void form.submit()} disabled={form.busy}>
            {form.busy ? 'Creating…' : 'Create batch'}
          </button>
        </>
      }
    >
      <BatchNameField label="Batch name" form={form} />
      <label className="switch">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Start enabled (labelers can pick up its records)
      </label>
      <p className="hint">{ENABLED_CAVEAT}</p>
    </Dialog>
  );
}

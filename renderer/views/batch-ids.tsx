/** The batch's id (and its workflow's) under its name, each with a copy button, for support and the CLI. */
import type { BatchView } from '../../common/api.ts';
import { CopyableId } from '../components/copy-button.tsx';

export function BatchIds({ batch }: { batch: BatchView }) {
  return (
    <p className="small muted row wrap batch-ids" data-testid="batch-ids">
      <span>Batch id</span>
      <CopyableId value={batch.id} what="batch id" />
      <span>Workflow id</span>
      <CopyableId value={batch.workflowId} what="workflow id" />
    </p>
  );
}

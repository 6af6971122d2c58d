/**
 * The batch's id (and its workflow's) under its name, each with a copy button, for support and the CLI. Each label
 * stays with its id: a narrow window wraps the line between the pairs, never between a label and its id.
 */
import type { BatchView } from '../../common/api.ts';
import { CopyableId } from '../components/copy-button.tsx';

export function BatchIds({ batch }: { batch: BatchView }) {
  return (
    <p className="small muted row wrap batch-ids" data-testid="batch-ids">
      <span className="batch-id-pair">
        <span>Batch id</span>
        <CopyableId value={batch.id} what="batch id" />
      </span>
      <span className="batch-id-pair">
        <span>Workflow id</span>
        <CopyableId value={batch.workflowId} what="workflow id" />
      </span>
    </p>
  );
}

/** What the selected rows can do together, above the list; nothing while no row is selected. */
import { plural } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import type { QueueCommand } from '../store/queue-slice.ts';

const COMMANDS: { command: QueueCommand; label: string; className: string }[] = [
  { command: 'retry', label: 'Retry', className: 'small' },
  { command: 'pause', label: 'Pause', className: 'small' },
  { command: 'resume', label: 'Resume', className: 'small' },
  { command: 'cancel', label: 'Cancel', className: 'small danger' },
];

export function SelectionBar() {
  const ids = useApp((s) => s.selectedIds);
  if (ids.length === 0) return null;
  return (
    <div className="row wrap selection-bar" role="group" aria-label="Selected files">
      <strong>{plural(ids.length, 'file')} selected</strong>
      {COMMANDS.map(({ command, label, className }) => (
        <button
          key={command}
          type="button"
          className={className}
          onClick={() => void actions().queueCommand(command, ids)}
        >
          {label}
        </button>
      ))}
      <button type="button" className="small ghost" onClick={() => actions().clearSelection()}>
        Clear selection
      </button>
    </div>
  );
}

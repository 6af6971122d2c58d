/**
 * Keyboard shortcuts for the main actions, and the help overlay that lists them (`?`). Keys are ignored while
 * typing in a field or while a dialog is open, so they never take a letter meant for a form.
 */
import { useEffect, useState } from 'react';
import { Dialog } from '../components/dialog.tsx';
import { actions } from '../store/index.ts';

interface Shortcut {
  keys: string;
  /** `key` of the KeyboardEvent. */
  key: string;
  what: string;
  run: () => void;
}

function focusSearch(): void {
  actions().navigate({ name: 'queue' });
  setTimeout(() => document.querySelector<HTMLInputElement>('.queue-search')?.focus(), 0);
}

const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'A', key: 'a', what: 'Add files…', run: () => actions().startAdding() },
  { keys: 'I', key: 'i', what: 'Import records…', run: () => actions().openRecords() },
  { keys: 'Q', key: 'q', what: 'Show the upload queue', run: () => actions().navigate({ name: 'queue' }) },
  {
    keys: 'P',
    key: 'p',
    what: 'Pause all, or resume all when paused',
    run: () => void actions().queueCommand(actions().totals?.mode === 'paused' ? 'resume' : 'pause'),
  },
  { keys: 'R', key: 'r', what: 'Retry every failed file', run: () => void actions().queueCommand('retry') },
  { keys: '/', key: '/', what: 'Search the queue by name', run: focusSearch },
  { keys: 'Esc', key: 'Escape', what: 'Clear the selection', run: () => actions().clearSelection() },
  { keys: '?', key: '?', what: 'Show these shortcuts', run: () => undefined },
];

/** True when a key press belongs to a field or a dialog, not to the app's shortcuts. */
function belongsElsewhere(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return true;
  const target = event.target as HTMLElement | null;
  if (target?.closest('input, textarea, select, [contenteditable="true"]')) return true;
  return document.querySelector('dialog[open]') !== null;
}

/** Listens for the shortcuts; renders the help overlay while it is open. */
export function Shortcuts() {
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (belongsElsewhere(event)) return;
      if (event.key === '?') {
        event.preventDefault();
        setHelp(true);
        return;
      }
      const shortcut = SHORTCUTS.find((s) => s.key === event.key);
      if (!shortcut) return;
      event.preventDefault();
      shortcut.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <Dialog open={help} title="Keyboard shortcuts" onClose={() => setHelp(false)}>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.key}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>Shift</kbd>+click, <kbd>Ctrl</kbd>+click, <kbd>Space</kbd>
            </td>
            <td>Select a range of rows, one more row, the focused row</td>
          </tr>
          <tr>
            <td>
              <kbd>Shift</kbd>+<kbd>F10</kbd> or the Menu key
            </td>
            <td>Actions of the focused row (Retry, Cancel, Copy path…)</td>
          </tr>
        </tbody>
      </table>
      <p className="hint">Keys work outside text fields and dialogs.</p>
    </Dialog>
  );
}

/**
 * A small button that copies an id to the clipboard and says so in place ("Copied"), announced politely. Its
 * name says what it copies ("Copy record id"), so a row of them reads apart.
 */
import { useEffect, useState } from 'react';
import './copy-button.css';

/** Copies text; false when the browser refuses (no clipboard permission, an insecure context). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function CopyButton({ value, what }: { value: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <span className="copy-id">
      <button
        type="button"
        className="ghost small copy-button"
        aria-label={`Copy ${what}`}
        title={`Copy ${what}: ${value}`}
        onClick={() => void copyText(value).then((ok) => setState(ok ? 'copied' : 'failed'))}
      >
        Copy
      </button>
      <span role="status" className="small muted copy-status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the id instead' : ''}
      </span>
    </span>
  );
}

/** An id in monospace with its copy button. */
export function CopyableId({ value, what }: { value: string; what: string }) {
  return (
    <span className="copyable-id">
      <span className="mono small id-text">{value}</span>
      <CopyButton value={value} what={what} />
    </span>
  );
}

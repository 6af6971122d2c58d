/**
 * The name of a batch to be made, as the dialogs that make one ask it: Enter submits, an empty name is refused
 * before anything is sent, and the message of a failed attempt shows under the field while the typed name stays.
 */
import { useState } from 'react';
import { errorMessage } from '../format.ts';

const BATCH_NAME_REQUIRED = 'Batch name is required.';

/** The name typed, the message of the last attempt, and the attempt itself. */
interface BatchNameForm {
  name: string;
  setName: (name: string) => void;
  error: string | null;
  busy: boolean;
  /** Runs `action` with the trimmed name, unless it is empty; a failure's message is kept for the field. */
  submit: () => Promise<void>;
}

/** The form's state over `action`, which receives the trimmed name; with `clearAfter` a success empties the field. */
export function useBatchNameForm(
  action: (name: string) => Promise<void>,
  options: { clearAfter?: boolean } = {},
): BatchNameForm {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    if (!name.trim()) {
      setError(BATCH_NAME_REQUIRED);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await action(name.trim());
      if (options.clearAfter) setName('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return {
    name,
    setName: (next) => {
      setName(next);
      // A typed name answers "Batch name is required."; a server error stays until the next try.
      if (next.trim()) setError((current) => (current === BATCH_NAME_REQUIRED ? null : current));
    },
    error,
    busy,
    submit,
  };
}

/** The field and the message under it. */
export function BatchNameField({ label, form }: { label: string; form: BatchNameForm }) {
  return (
    <>
      <label>
        {label}
        <input
          type="text"
          value={form.name}
          onChange={(e) => form.setName(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void form.submit()}
          aria-invalid={form.error !== null && !form.name.trim()}
          autoFocus
        />
      </label>
      {form.error && (
        <p className="inline-result error" role="alert">
          {form.error}
        </p>
      )}
    </>
  );
}

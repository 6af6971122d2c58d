/**
 * A transfer stopped by its record limit: the sentence ("Limit of N records reached; M files left in the queue"),
 * the held files one click away, and the two ways to release them: a higher limit, or none.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TransferView } from '../../common/api.ts';
import { readRecordLimit } from '../record-limit-text.ts';
import { actions } from '../store/index.ts';

/** The sentence in the transfer's status, with its held files one click away. */
export function LimitReachedNote({
  transfer,
  sentence,
  title,
}: {
  transfer: TransferView;
  sentence: string;
  title: string;
}) {
  return (
    <span role="status" data-testid="limit-reached">
      <strong>{sentence}.</strong>{' '}
      <button
        type="button"
        className="link"
        onClick={() => actions().openTransfer(transfer.id, ['paused'])}
        aria-label={`Show them: the held files of ${title}`}
      >
        Show them
      </button>
    </span>
  );
}

/** A higher limit, or none, under the transfer (the whole width of its row). */
export function RecordLimitForm({ transfer, title }: { transfer: TransferView; title: string }) {
  const current = transfer.recordLimit?.maxRecords ?? 0;
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const raise = (event: FormEvent): void => {
    event.preventDefault();
    const read = readRecordLimit(text);
    if ('problem' in read) return setProblem(read.problem);
    if (read.limit === null) return setProblem('Type the new limit, or choose Remove limit.');
    if (read.limit <= current)
      return setProblem(`The new limit must be above ${current} to send more records.`);
    setProblem(null);
    void actions()
      .setRecordLimit(transfer.id, read.limit)
      .then((ok) => ok && setText(''));
  };
  const fieldId = `raise-limit-${transfer.id}`;
  return (
    <div className="stack transfer-limit">
      <form className="row wrap" onSubmit={raise} aria-label={`Record limit of ${title}`}>
        <label className="inline" htmlFor={fieldId}>
          New limit
        </label>
        <input
          id={fieldId}
          type="text"
          inputMode="numeric"
          className="num"
          size={10}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${fieldId}-problem` : undefined}
        />
        <button type="submit" className="small">
          Raise limit
        </button>
        <button
          type="button"
          className="small"
          onClick={() => void actions().setRecordLimit(transfer.id, null)}
        >
          Remove limit
        </button>
      </form>
      {problem && (
        <p id={`${fieldId}-problem`} className="inline-result error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

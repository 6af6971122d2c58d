/**
 * A file's labeling outcome in its details: its record's status as the batch lists it (queued, in progress,
 * complete, exception, canceled), in words and as a badge, so a canceled record never reads as all well.
 */
import type { LabelingOutcome } from '../../common/api.ts';

const WORDS: Record<string, { badge: string; text: string; className: string }> = {
  queued: { badge: 'Queued', text: 'Waiting for a labeler.', className: 'badge' },
  'in-progress': { badge: 'In progress', text: 'A labeler is working on it.', className: 'badge active' },
  complete: { badge: 'Complete', text: 'Labeled: its result is available.', className: 'badge done' },
  exception: {
    badge: 'Exception',
    text: 'Labelers could not work it; it waits for review.',
    className: 'badge failed',
  },
  canceled: {
    badge: 'Canceled',
    text: 'Its task was canceled: it will have no result.',
    className: 'badge failed',
  },
  'not-found': { badge: 'No record', text: 'Its batch lists no record for this file.', className: 'badge' },
  unknown: { badge: 'Unknown', text: 'Its labeling could not be read just now.', className: 'badge' },
};

/** The badge and sentence of an outcome; a status the app does not know reads as its own words. */
function labelingWords(status: string): { badge: string; text: string; className: string } {
  const known = WORDS[status];
  if (known) return known;
  const words = status.replace(/[-_]+/g, ' ');
  return { badge: words.charAt(0).toUpperCase() + words.slice(1), text: '', className: 'badge' };
}

/** The "Labeling" fact of the details list. */
export function LabelingFact({ outcome }: { outcome: LabelingOutcome }) {
  const words = labelingWords(outcome.status);
  return (
    <>
      <dt>Labeling</dt>
      <dd data-testid="item-labeling">
        <span className={words.className}>{words.badge}</span> {words.text}
      </dd>
    </>
  );
}

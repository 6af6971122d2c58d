/**
 * The exception-spike alert: every batch completion the engine publishes is looked at by the detector
 * (`doneness/exception-spike.ts`), and a spike raises a desktop notification through the host's notifier and a
 * warning notice in the window (the browser host has no desktop notifications of its own).
 */
import type { Completion } from '../../common/api.ts';
import { ExceptionSpikeDetector } from '../doneness/exception-spike.ts';
import type { ExceptionSpike } from '../doneness/exception-spike.ts';
import type { EventHub } from './events.ts';

interface ExceptionAlertDeps {
  hub: EventHub;
  now: () => number;
  /** The desktop notification (the engine's, which honours the notifications setting). */
  notify: (title: string, body: string) => void;
  /** The batch's name for the alert's wording, or null when it cannot be read. */
  batchName: (completion: Completion) => Promise<string | null>;
  detector?: ExceptionSpikeDetector;
}

/** The alert's wording: "Exceptions are rising in Shelf" / "12 of the latest 50 records ... (24%)". */
function spikeMessage(spike: ExceptionSpike, name: string | null): { title: string; body: string } {
  const percent = Math.round((spike.exceptions / spike.of) * 100);
  return {
    title: `Exceptions are rising in ${name ?? 'a batch'}`,
    body: `${spike.exceptions} of the latest ${spike.of} records ended in exception or canceled (${percent}%).`,
  };
}

/** Starts watching; returns the function that stops it. */
export function watchExceptionSpikes(deps: ExceptionAlertDeps): () => void {
  const detector = deps.detector ?? new ExceptionSpikeDetector();
  const alert = async (spike: ExceptionSpike, completion: Completion): Promise<void> => {
    const name = await deps.batchName(completion).catch(() => null);
    const { title, body } = spikeMessage(spike, name);
    deps.notify(title, body);
    deps.hub.emit('notice', {
      level: 'warning',
      message: `${title}: ${body}`,
      at: new Date(deps.now()).toISOString(),
    });
  };
  return deps.hub.on('batchCompletion', (completion) => {
    const spike = detector.observe(
      completion.batchId,
      deps.now(),
      completion.final,
      completion.exceptions + completion.canceled,
    );
    if (spike) void alert(spike, completion);
  });
}

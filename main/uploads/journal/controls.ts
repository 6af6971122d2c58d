/**
 * Queue controls written to the journal: pause, resume, cancel and retry, for chosen items or for all. "All" is
 * applied in slices with a yield between them, so acting on 100,000 items never holds the event loop for long.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Journal } from './journal.ts';

const SLICE = 2000;
const NOT_FINAL = "state NOT IN ('done', 'failed', 'canceled', 'skipped')";

/** What each control changes, as SQL (the item filter and the assignment). */
const CONTROLS = {
  // An item inside a records request in flight cannot be held back: its fate is the chunk's.
  pause: { where: `${NOT_FINAL} AND state != 'recording' AND paused = 0`, set: 'paused = 1' },
  resume: { where: 'paused = 1', set: 'paused = 0' },
  cancel: {
    where: `${NOT_FINAL} AND state != 'recording'`,
    set: "state = 'canceled', paused = 0, reason = 'canceled'",
  },
  retry: {
    where: "state = 'failed'",
    set: "state = COALESCE(resume_state, 'queued'), reason = NULL, attempts = 0, paused = 0",
  },
} as const;

export type ControlName = keyof typeof CONTROLS;

/** Applies a control to the given items, or to every item it applies to; returns how many changed. */
export async function applyControl(
  journal: Journal,
  control: ControlName,
  ids: readonly number[] | undefined,
  now: number,
): Promise<number> {
  // Counted before and after: a scheduler looking between two slices sees the change again once it is complete.
  journal.controlsApplied += 1;
  try {
    return await applyControlSlices(journal, control, ids, now);
  } finally {
    journal.controlsApplied += 1;
  }
}

async function applyControlSlices(
  journal: Journal,
  control: ControlName,
  ids: readonly number[] | undefined,
  now: number,
): Promise<number> {
  const { where, set } = CONTROLS[control];
  let changed = 0;
  if (ids) {
    for (let start = 0; start < ids.length; start += SLICE) {
      const slice = ids.slice(start, start + SLICE);
      const marks = slice.map(() => '?').join(', ');
      const result = journal
        .stmt(`UPDATE items SET ${set}, updated_at = ? WHERE id IN (${marks}) AND ${where}`)
        .run(now, ...slice);
      changed += Number(result.changes);
      if (start + SLICE < ids.length) await yieldToEventLoop();
    }
    return changed;
  }
  for (;;) {
    const result = journal
      .stmt(
        `UPDATE items SET ${set}, updated_at = ? WHERE id IN (SELECT id FROM items WHERE ${where} LIMIT ${SLICE})`,
      )
      .run(now);
    changed += Number(result.changes);
    if (Number(result.changes) < SLICE) return changed;
    await yieldToEventLoop();
  }
}

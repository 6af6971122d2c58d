/**
 * What to do with a complete file of a watched folder, from what the journal remembers of the same path in the
 * same workflow: each version of a file is uploaded once, whatever restarts and offline spells came between.
 */
import type { FileVersion } from './settle-tracker.ts';
import { sameVersion } from './settle-tracker.ts';

/** The journal's latest item for a path in a workflow (skipped "already uploaded" rows left out). */
export interface RememberedFile extends FileVersion {
  state: 'done' | 'failed' | 'canceled' | 'pending';
}

type WatchDecision =
  /** Never seen, failed before, or changed with re-upload asked for: queue it. */
  | 'queue'
  /** Already queued or on its way: the journal has it. */
  | 'in-queue'
  /** This very version was uploaded (or canceled by the user) before: nothing to do. */
  | 'already-handled'
  /** Uploaded before, changed since: reported, not sent again (unless re-upload is on). */
  | 'changed-after-upload';

/** Decides what a complete file becomes; `reupload` sends a changed file again instead of reporting it. */
export function decideWatchedFile(
  remembered: RememberedFile | null,
  version: FileVersion,
  reupload: boolean,
): WatchDecision {
  if (!remembered || remembered.state === 'failed') return 'queue';
  if (remembered.state === 'pending') return 'in-queue';
  if (sameVersion(remembered, version)) return 'already-handled';
  // A canceled file that changed is new work the user has not refused; an uploaded one that changed is the case
  // the user decides with re-upload.
  if (remembered.state === 'canceled' || reupload) return 'queue';
  return 'changed-after-upload';
}

/**
 * The plan of an upload, made before anything is created: what the CLI's dry run prints and what the add dialog
 * shows. The engine computes it once (main/uploads/upload-plan.ts) for both.
 */
import type { MediaKind } from './alegion.ts';

/** Files and bytes. */
interface Tally {
  files: number;
  bytes: number;
}

/** Files left out or failing for one reason, with some of their paths. */
export interface ReasonGroup {
  reason: string;
  files: number;
  examples: string[];
}

/** A set of files with identical bytes: their paths, the first one the one uploaded. */
export interface IdenticalSet {
  md5: string;
  size: number;
  /** Files in the set (the app lists only the first paths of a large one). */
  files: number;
  paths: string[];
}

export interface UploadPlan {
  /** Every file found (of this shard), whatever becomes of it. */
  found: Tally;
  /** What would be uploaded, by kind. */
  toUpload: Tally & { byKind: Partial<Record<MediaKind, Tally>> };
  /** Records the upload would create (one per file uploaded, within the record limit). */
  recordsToCreate: number;
  /** Left out: walk skips, already uploaded, unsupported, identical content (when each content goes once). */
  skipped: ReasonGroup[];
  /** Would fail: too large, type mismatch, unreadable, a video that cannot be probed. */
  failing: ReasonGroup[];
  /** Sets of files with identical bytes, largest first. */
  identical: IdenticalSet[];
  /** Files found that belong to other shards. */
  otherShards: number;
}

/** The group of files skipped because another file of the upload has their bytes. */
export const IDENTICAL_CONTENT = 'identical content';
/** The group of files skipped because they were uploaded to the workflow before. */
export const ALREADY_UPLOADED = 'already uploaded';

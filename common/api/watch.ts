/** Watched folders. */
import { z } from 'zod';
import { LocalPath } from './shared.ts';
import { UploadTarget } from './intake.ts';

/** "Watch this folder…": every complete file that appears in the folder (and its subfolders) goes to the target. */
export const WatchFolderArgs = z.object({
  folder: LocalPath,
  target: UploadTarget,
  /** A file is complete once its size and modification time stood still this long (and it opens for reading). */
  settleSeconds: z.number().min(0.1).max(3600).default(5),
  /** Send a file again when it changes after its upload (otherwise the change is reported only). */
  reupload: z.boolean().default(false),
  /** Poll instead of relying on change notifications: for network drives, where notifications do not arrive. */
  polling: z.boolean().default(false),
});
export type WatchFolderArgs = z.input<typeof WatchFolderArgs>;

/** A watched folder as the app lists it. */
export interface WatchedFolderView {
  id: string;
  folder: string;
  workflowId: string;
  batchId: string | null;
  newBatchName: string | null;
  settleSeconds: number;
  reupload: boolean;
  polling: boolean;
  /** `waiting` while not connected to the account the watch belongs to (its files are picked up once connected). */
  status: 'watching' | 'waiting' | 'error';
  /** Why the watch waits or what went wrong, in a sentence; null while all is well. */
  message: string | null;
  /** Files seen and not complete yet. */
  filesSettling: number;
  /** Files queued since the watch (re)started. */
  filesQueued: number;
  /** Files that changed after their upload and were not sent again, since the watch (re)started. */
  changedAfterUpload: number;
}

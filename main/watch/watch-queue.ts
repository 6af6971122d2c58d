/**
 * What a watched folder needs from the upload queue, and that port over the upload service: the journal's memory
 * of a path (the same memory that marks files "already uploaded" when they are added by hand) and the intake path
 * every other file takes (walk, journal, pipeline). No second record of what was sent is kept anywhere.
 */
import type { UploadTarget } from '../../common/api.ts';
import type { UploadService } from '../uploads/upload-service.ts';
import type { RememberedFile } from './watch-decision.ts';

export interface WatchQueue {
  /** The server and account the queue uploads to: a watch belongs to one (see serverKey). */
  readonly server: string;
  /** The journal's latest item for the path in the workflow on this server, or null when it has none. */
  remembered(workflowId: string, path: string): RememberedFile | null;
  /** Queues the files into the target through the ordinary intake (walk, journal, pipeline). */
  queueFiles(paths: readonly string[], target: UploadTarget, reupload: boolean): Promise<{ queued: number }>;
  /** Creates the target's batch now if it is new (offline, the pipeline creates it once the network is back). */
  resolveBatch(target: UploadTarget): Promise<string>;
}

/** The port over a running upload service. */
export function serviceWatchQueue(
  service: UploadService,
  onSkip?: (path: string, reason: string) => void,
): WatchQueue {
  return {
    server: service.server,
    remembered(workflowId, path) {
      const latest = service.latestUpload(workflowId, path);
      if (!latest) return null;
      const { state } = latest;
      const settled = state === 'done' || state === 'failed' || state === 'canceled' ? state : 'pending';
      return { state: settled, size: latest.size, mtimeMs: latest.mtimeMs };
    },
    async queueFiles(paths, target, reupload) {
      const result = await service.addPaths(paths, target, {
        reupload,
        ...(onSkip ? { onSkip: (skipped) => onSkip(skipped.path, skipped.reason) } : {}),
      });
      return { queued: result.queued };
    },
    resolveBatch: (target) => service.resolveBatch(target),
  };
}

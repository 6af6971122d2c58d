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

// "Skipped" rows only repeat an earlier upload; the row before them says what happened to the file.
const LATEST_ITEM = `SELECT i.state, i.size, i.mtime_ms FROM items i JOIN targets t ON t.id = i.target_id
  WHERE i.workflow_id = ? AND i.source_key = ? AND t.server = ? AND i.state <> 'skipped'
  ORDER BY i.id DESC LIMIT 1`;

/** The port over a running upload service. */
export function serviceWatchQueue(
  service: UploadService,
  onSkip?: (path: string, reason: string) => void,
): WatchQueue {
  return {
    server: service.server,
    remembered(workflowId, path) {
      const row = service.journal.stmt(LATEST_ITEM).get(workflowId, path, service.server) as
        { state: string; size: number | bigint; mtime_ms: number | bigint } | undefined;
      if (!row) return null;
      const state =
        row.state === 'done' || row.state === 'failed' || row.state === 'canceled' ? row.state : 'pending';
      return { state, size: Number(row.size), mtimeMs: Number(row.mtime_ms) };
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

/**
 * The uploads module as the hosts see it: the upload service, and what a command needs around it (where the
 * journal lives, the journal's errors, the checks of upload flags, the words for failures, the batch manifest).
 * Hosts import this file only; the rest of main/uploads/ is the module's own (lint refuses it in main/host/).
 */
import type * as BatchManifest from './batch-manifest.ts';
import type { UploadService, UploadServiceDeps } from './upload-service.ts';

export type { UploadService, UploadServiceDeps } from './upload-service.ts';
export type { JournalManifest } from './batch-manifest.ts';
export { DEFAULT_LIMITS } from './upload-limits.ts';
export { serverKey } from './server-key.ts';
export { JournalBusyError, isDiskFull } from './journal/journal.ts';
export { resolveStateDir } from './journal/state-dir.ts';
export { hostNotFoundMessage } from './queue/connectivity.ts';
export { classifyFailure } from './queue/failures.ts';
export type { SkippedFile } from './intake/walk.ts';
export { delimiterByName } from './intake/records-csv.ts';
export { encodingName } from './intake/records-text.ts';
export { parseShard } from './intake/shard.ts';
export type { Shard } from './intake/shard.ts';

/** The batch manifest: reading journals into it, writing it, checking it against the platform (loaded on use). */
export async function batchManifest(): Promise<typeof BatchManifest> {
  return import('./batch-manifest.ts');
}

/**
 * Opens the journal in the state directory and builds the service (throws JournalBusyError if one runs). The
 * pipeline's modules are loaded on first use, as the manifest's are, so a command that uploads nothing (export,
 * manifest, whoami) does not pay for them at start-up.
 */
export async function createUploadService(deps: UploadServiceDeps): Promise<UploadService> {
  const { createUploadService: create } = await import('./upload-service.ts');
  return create(deps);
}

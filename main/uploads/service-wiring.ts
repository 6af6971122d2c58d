/**
 * What the upload service is built from: its dependencies, and the queue runner over the steps' shared context
 * (with the defaults the runner is measured with).
 */
import type { AlegionClient } from '../alegion/types.ts';
import type { Journal } from './journal/journal.ts';
import { openLinkVault } from './journal/link-vault.ts';
import type { LinkVault } from './journal/link-vault.ts';
import type { ContentDedupe } from './intake/content-dedupe.ts';
import type { ProgressTracker } from './queue/progress.ts';
import { QueueRunner } from './queue/queue-runner.ts';
import type { RunnerHooks, RunnerOptions } from './queue/queue-runner.ts';
import type { RecordLimits } from './record-limit.ts';
import type { StepContext } from './steps/step-context.ts';
import type { TransferLimits, UploadLimits } from './upload-limits.ts';

export interface UploadServiceDeps {
  client: AlegionClient;
  /** The username the client logs in as: with the API base URL it keys batch targets (never a secret). */
  account?: string;
  stateDir: string;
  limits?: Partial<UploadLimits>;
  /** A cheap request that succeeds when the API is reachable (default: one unauthenticated GET of the API). */
  probe?: () => Promise<void>;
  now?: () => number;
  /** Files larger than this fail with a reason (default 0: no limit). */
  maxFileBytes?: number;
  runner?: Partial<RunnerOptions>;
}

/** The parts of the service the steps share. */
export interface SharedParts {
  journal: Journal;
  limits: TransferLimits;
  progress: ProgressTracker;
  recordLimits: RecordLimits;
  contentDedupe: ContentDedupe;
  now: () => number;
}

/** A signed URL younger than this is used again (they are signed for an hour). */
const SIGNED_URL_REUSE_MS = 50 * 60 * 1000;

/** The steps' context: the shared parts, the client, and the vault that seals signed URLs in the state directory. */
export function stepContext(deps: UploadServiceDeps, parts: SharedParts): StepContext {
  return {
    ...batchStepContext(deps, parts),
    vault: openLinkVault(deps.stateDir),
    maxFileBytes: deps.maxFileBytes ?? 0,
    signedUrlReuseMs: SIGNED_URL_REUSE_MS,
  };
}

const NO_VAULT: LinkVault = { seal: () => '', open: () => null };

/** The context for creating and checking batches alone: no file is sent with it, so no URL is sealed. */
export function batchStepContext(deps: UploadServiceDeps, parts: SharedParts): StepContext {
  return {
    journal: parts.journal,
    client: deps.client,
    api: parts.limits.api,
    puts: parts.limits.puts,
    bucket: parts.limits.bucket,
    vault: NO_VAULT,
    progress: parts.progress,
    now: parts.now,
    maxFileBytes: 0,
    signedUrlReuseMs: 0,
    recordLimits: parts.recordLimits,
    contentDedupe: parts.contentDedupe,
  };
}

/** The runner that works the queue of `server`, with the measured defaults unless the deps say otherwise. */
export function createRunner(
  deps: UploadServiceDeps,
  ctx: StepContext,
  server: string,
  hooks: RunnerHooks,
): QueueRunner {
  // Any HTTP answer means the API is reachable (even a 403 for the missing key): one request, no retries, so the
  // queue notices the network's return within a probe interval.
  const probe =
    deps.probe ??
    (async () => {
      const response = await fetch(`${deps.client.baseUrl}/workflows?page=1&pageSize=1`, {
        signal: AbortSignal.timeout(5000),
      });
      await response.body?.cancel();
    });
  return new QueueRunner(
    ctx,
    {
      probeConcurrency: 4,
      lookahead: 4,
      maxAttempts: 8,
      lingerMs: 1000,
      retryBaseMs: 500,
      retryMaxMs: 15_000,
      endWhenHostUnknown: false,
      ...deps.runner,
      server,
    },
    hooks,
    probe,
  );
}

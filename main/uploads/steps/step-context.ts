/** What the pipeline steps share: the journal, the client, the limits, and the engine's clock. */
import type { AlegionClient } from '../../alegion/types.ts';
import type { Journal } from '../journal/journal.ts';
import type { Limiter, TokenBucket } from '../queue/limits.ts';
import type { LinkVault } from '../journal/link-vault.ts';
import type { ProgressTracker } from '../queue/progress.ts';
import type { ContentDedupe } from '../intake/content-dedupe.ts';
import type { RecordLimits } from '../record-limit.ts';

export interface StepContext {
  journal: Journal;
  client: AlegionClient;
  /** Concurrent API calls. */
  api: Limiter;
  /** Concurrent PUTs to storage. */
  puts: Limiter;
  bucket: TokenBucket;
  vault: LinkVault;
  progress: ProgressTracker;
  now: () => number;
  /** Files larger than this fail with a clear reason (0 = no limit). */
  maxFileBytes: number;
  /** A signed URL is used again only while younger than this. */
  signedUrlReuseMs: number;
  /** The runs' record limits (`--max-records`). */
  recordLimits: RecordLimits;
  /** The runs that upload each content once (`--skip-duplicate-content`). */
  contentDedupe: ContentDedupe;
}

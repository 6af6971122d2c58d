/**
 * The plan of an upload, made before anything is created: the files and bytes by kind, the records it would
 * create, the files it would leave out or fail and why, and the files of identical content. It walks and inspects
 * the files with the very checks of the upload (walkPathsOffThread, inShard, inspectFile, seenBefore), so the plan counts
 * what the upload then does; it writes nothing and sends nothing.
 */
import { resolve as resolvePath } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { MediaKind } from '../../../common/alegion.ts';
import { inShard } from './shard.ts';
import type { Shard } from './shard.ts';
import { walkPathsOffThread } from './walk-off-thread.ts';
import type { FoundFile } from './walk.ts';
import { inspectFile } from '../steps/probe-step.ts';
import type { Inspection } from '../steps/probe-step.ts';
import { ALREADY_UPLOADED, IDENTICAL_CONTENT } from '../../../common/upload-plan.ts';
import type { IdenticalSet, ReasonGroup, UploadPlan } from '../../../common/upload-plan.ts';

export type { UploadPlan } from '../../../common/upload-plan.ts';

/** One file as the plan weighs it, in the order the upload queues files. */
export type PlannedFile = { path: string; size: number } & (
  | { outcome: 'already uploaded' }
  | { outcome: 'skipped' | 'failed'; reason: string }
  | { outcome: 'probed'; mediaKind: MediaKind; md5: string | null }
);

/** What the counts depend on once each file is known. */
interface TallyOptions {
  skipDuplicateContent: boolean;
  maxRecords: number | null;
  /** Paths kept per reason (the count covers all of them); 3 by default. */
  examples?: number;
  /** Told of each file skipped for identical content, with the file of that content that is uploaded. */
  onIdentical?: (path: string, twin: string) => void;
}

export interface PlanOptions {
  workflowId: string;
  reupload: boolean;
  maxFileBytes: number;
  declaredKind?: MediaKind | null;
  shard?: Shard;
  skipDuplicateContent: boolean;
  maxRecords: number | null;
  /** True when this file (same path, size and mtime) was uploaded before to the workflow. */
  seenBefore: (file: FoundFile) => boolean;
  /** Files inspected at once. */
  concurrency?: number;
  signal?: AbortSignal;
}

const EXAMPLES = 3;

/** The reason under which a skip is grouped: its kind, without the path-specific detail. */
function groupOf(reason: string): string {
  return reason.replace(/ \(.*\)$/, '');
}

/** Files by reason, each group keeping its first few paths. */
class Groups {
  private readonly groups = new Map<string, ReasonGroup>();
  private readonly examples: number;

  constructor(examples: number) {
    this.examples = examples;
  }

  add(reason: string, path: string): void {
    const key = groupOf(reason);
    const group = this.groups.get(key) ?? { reason: key, files: 0, examples: [] };
    group.files++;
    if (group.examples.length < this.examples) group.examples.push(path);
    this.groups.set(key, group);
  }

  /** The groups, largest first. */
  list(): ReasonGroup[] {
    return [...this.groups.values()].sort((a, b) => b.files - a.files);
  }
}

/**
 * Adds up the plan from what is known of each file: the one computation behind the CLI's dry run and the add
 * dialog's summary. `walkSkips` are the files and folders the walk left out (not counted as found); `files` come in
 * the order the upload queues them, since the first file of a content is the one an upload keeps.
 */
export function tallyPlan(
  walkSkips: Iterable<{ path: string; reason: string }>,
  files: Iterable<PlannedFile>,
  options: TallyOptions & { otherShards?: number },
): UploadPlan {
  const skipped = new Groups(options.examples ?? EXAMPLES);
  const failing = new Groups(options.examples ?? EXAMPLES);
  const plan: UploadPlan = {
    found: { files: 0, bytes: 0 },
    toUpload: { files: 0, bytes: 0, byKind: {} },
    recordsToCreate: 0,
    skipped: [],
    failing: [],
    identical: [],
    otherShards: options.otherShards ?? 0,
  };
  for (const skip of walkSkips) skipped.add(skip.reason, skip.path);
  const byContent = new Map<string, IdenticalSet>();
  for (const file of files) {
    plan.found.files++;
    plan.found.bytes += file.size;
    if (file.outcome === 'already uploaded') {
      skipped.add(ALREADY_UPLOADED, file.path);
      continue;
    }
    if (file.outcome !== 'probed') {
      (file.outcome === 'skipped' ? skipped : failing).add(file.reason, file.path);
      continue;
    }
    if (file.md5) {
      const twin = byContent.get(file.md5);
      if (twin) {
        twin.paths.push(file.path);
        twin.files++;
        if (options.skipDuplicateContent) {
          skipped.add(IDENTICAL_CONTENT, file.path);
          options.onIdentical?.(file.path, twin.paths[0] as string);
          continue;
        }
      } else byContent.set(file.md5, { md5: file.md5, size: file.size, files: 1, paths: [file.path] });
    }
    plan.toUpload.files++;
    plan.toUpload.bytes += file.size;
    const kind = plan.toUpload.byKind[file.mediaKind] ?? { files: 0, bytes: 0 };
    kind.files++;
    kind.bytes += file.size;
    plan.toUpload.byKind[file.mediaKind] = kind;
  }
  plan.recordsToCreate =
    options.maxRecords === null ? plan.toUpload.files : Math.min(options.maxRecords, plan.toUpload.files);
  plan.skipped = skipped.list();
  plan.failing = failing.list();
  plan.identical = [...byContent.values()]
    .filter((set) => set.paths.length > 1)
    .sort((a, b) => b.paths.length * b.size - a.paths.length * a.size);
  return plan;
}

/** Makes the plan of uploading `paths` (see the module comment). */
export async function planUpload(paths: readonly string[], options: PlanOptions): Promise<UploadPlan> {
  const walkSkips: { path: string; reason: string }[] = [];
  let otherShards = 0;
  // Walk order, as the upload queues them.
  const found: FoundFile[] = [];
  const seen = new Set<FoundFile>();
  const walk = walkPathsOffThread(
    paths.map((p) => resolvePath(p)),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onSkip: (skip) => walkSkips.push({ path: skip.path, reason: skip.reason }),
    },
  );
  for await (const chunk of walk) {
    for (const file of chunk) {
      if (!inShard(file.relativePath, options.shard)) {
        otherShards++;
        continue;
      }
      found.push(file);
      if (!options.reupload && options.seenBefore(file)) seen.add(file);
    }
    await yieldToEventLoop();
  }
  const candidates = found.filter((file) => !seen.has(file));
  const sizes = new Map<number, number>();
  for (const file of candidates) sizes.set(file.size, (sizes.get(file.size) ?? 0) + 1);
  const inspected = new Map<FoundFile, Inspection>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      const file = candidates[next++] as FoundFile;
      options.signal?.throwIfAborted();
      // Only a file that shares its size with another can share its content: others need no hash of a large file.
      inspected.set(
        file,
        await inspectFile(file, {
          maxFileBytes: options.maxFileBytes,
          declaredKind: options.declaredKind ?? null,
          hashAnySize: (sizes.get(file.size) ?? 0) > 1,
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  const planned = found.map((file): PlannedFile => {
    const result = inspected.get(file);
    const at = { path: file.path, size: file.size };
    if (!result) return { ...at, outcome: 'already uploaded' };
    if (result.outcome !== 'probed') return { ...at, outcome: result.outcome, reason: result.reason };
    return { ...at, outcome: 'probed', mediaKind: result.mediaKind, md5: result.md5 };
  });
  return tallyPlan(walkSkips, planned, { ...options, otherShards });
}

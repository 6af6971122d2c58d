/**
 * The plan of an upload, made before anything is created: the files and bytes by kind, the records it would
 * create, the files it would leave out or fail and why, and the files of identical content. It walks and inspects
 * the files with the very checks of the upload (walkPaths, inShard, inspectFile, seenBefore), so the plan counts
 * what the upload then does; it writes nothing and sends nothing.
 */
import { resolve as resolvePath } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { MediaKind } from '../../../common/alegion.ts';
import { inShard } from './shard.ts';
import type { Shard } from './shard.ts';
import { walkPaths } from './walk.ts';
import type { FoundFile } from './walk.ts';
import { inspectFile } from '../steps/probe-step.ts';

/** Files and bytes. */
export interface Tally {
  files: number;
  bytes: number;
}

/** Files left out or failing for one reason, with a few of their paths. */
export interface ReasonGroup {
  reason: string;
  files: number;
  examples: string[];
}

export interface UploadPlan {
  /** Every file found (of this shard), whatever becomes of it. */
  found: Tally;
  /** What would be uploaded, by kind. */
  toUpload: Tally & { byKind: Partial<Record<MediaKind, Tally>> };
  /** Records the upload would create (one per file uploaded, within --max-records). */
  recordsToCreate: number;
  /** Left out: walk skips, already uploaded, unsupported, identical content (with --skip-duplicate-content). */
  skipped: ReasonGroup[];
  /** Would fail: too large, type mismatch, unreadable, a video that cannot be probed. */
  failing: ReasonGroup[];
  /** Sets of files with identical bytes, largest first (each path, the first one the one uploaded). */
  identical: { md5: string; size: number; paths: string[] }[];
  /** Files found that belong to other shards. */
  otherShards: number;
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

/** The reason under which a walk skip is grouped: its kind, without the path-specific detail. */
function groupOf(reason: string): string {
  return reason.replace(/ \(.*\)$/, '');
}

function add(groups: Map<string, ReasonGroup>, reason: string, path: string): void {
  const key = groupOf(reason);
  const group = groups.get(key) ?? { reason: key, files: 0, examples: [] };
  group.files++;
  if (group.examples.length < EXAMPLES) group.examples.push(path);
  groups.set(key, group);
}

/** Makes the plan of uploading `paths` (see the module comment). */
export async function planUpload(paths: readonly string[], options: PlanOptions): Promise<UploadPlan> {
  const skipped = new Map<string, ReasonGroup>();
  const failing = new Map<string, ReasonGroup>();
  const plan: UploadPlan = {
    found: { files: 0, bytes: 0 },
    toUpload: { files: 0, bytes: 0, byKind: {} },
    recordsToCreate: 0,
    skipped: [],
    failing: [],
    identical: [],
    otherShards: 0,
  };
  // Walk order, as the upload queues them: the first file of a content is the one an upload keeps.
  const candidates: FoundFile[] = [];
  const walk = walkPaths(
    paths.map((p) => resolvePath(p)),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onSkip: (skip) => add(skipped, skip.reason, skip.path),
    },
  );
  for await (const found of walk) {
    for (const file of found) {
      if (!inShard(file.relativePath, options.shard)) {
        plan.otherShards++;
        continue;
      }
      plan.found.files++;
      plan.found.bytes += file.size;
      if (!options.reupload && options.seenBefore(file)) add(skipped, 'already uploaded', file.path);
      else candidates.push(file);
    }
    await yieldToEventLoop();
  }
  const sizes = new Map<number, number>();
  for (const file of candidates) sizes.set(file.size, (sizes.get(file.size) ?? 0) + 1);
  const inspected = new Array<Awaited<ReturnType<typeof inspectFile>>>(candidates.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      const index = next++;
      const file = candidates[index] as FoundFile;
      options.signal?.throwIfAborted();
      // Only a file that shares its size with another can share its content: others need no hash of a large file.
      inspected[index] = await inspectFile(file, {
        maxFileBytes: options.maxFileBytes,
        declaredKind: options.declaredKind ?? null,
        hashAnySize: (sizes.get(file.size) ?? 0) > 1,
      });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  const byContent = new Map<string, { md5: string; size: number; paths: string[] }>();
  candidates.forEach((file, index) => {
    const result = inspected[index];
    if (!result) return;
    if (result.outcome !== 'probed')
      return add(result.outcome === 'skipped' ? skipped : failing, result.reason, file.path);
    if (result.md5) {
      const twin = byContent.get(result.md5);
      if (twin) {
        twin.paths.push(file.path);
        if (options.skipDuplicateContent) return add(skipped, 'identical content', file.path);
      } else byContent.set(result.md5, { md5: result.md5, size: file.size, paths: [file.path] });
    }
    plan.toUpload.files++;
    plan.toUpload.bytes += file.size;
    const kind = plan.toUpload.byKind[result.mediaKind] ?? { files: 0, bytes: 0 };
    kind.files++;
    kind.bytes += file.size;
    plan.toUpload.byKind[result.mediaKind] = kind;
  });
  plan.recordsToCreate =
    options.maxRecords === null ? plan.toUpload.files : Math.min(options.maxRecords, plan.toUpload.files);
  plan.skipped = [...skipped.values()].sort((a, b) => b.files - a.files);
  plan.failing = [...failing.values()].sort((a, b) => b.files - a.files);
  plan.identical = [...byContent.values()]
    .filter((set) => set.paths.length > 1)
    .sort((a, b) => b.paths.length * b.size - a.paths.length * a.size);
  return plan;
}

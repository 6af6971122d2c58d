/**
 * The intake step of one queued file (queued → probed): still the same file as when queued, not empty, within
 * the size limit, a supported kind that fits the workflow, a video's fps and frame count, and (up to 64 MiB, or
 * any size for a video the probe reads whole) the MD5 that becomes the asset's `tenantReference`. It needs no
 * network, so it goes on while the engine is offline.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { checkKindFits, classifyContent, classifyFile, kindByExtension } from '../intake/classify.ts';
import type { Classification } from '../intake/classify.ts';
import { describeFsError } from '../intake/fs-errors.ts';
import { probeVideo } from '../intake/probe-video.ts';
import type { VideoProbe } from '../intake/probe-video.ts';
import type { MediaKind } from '../../../common/alegion.ts';
import { identicalReason } from '../intake/content-dedupe.ts';
import type { ItemRow, StoredState, TargetRow } from '../journal/item-types.ts';
import type { StepContext } from './step-context.ts';
import { addEvent, advanceItem } from '../journal/items.ts';
import { formatBytes } from '../../../common/byte-size.ts';
import { CHANGED_SINCE_QUEUED, readWholeFile, readsWhole } from './whole-file.ts';

/**
 * Files above this size are not hashed at intake: reading a large file twice (once to hash, once to upload) costs
 * seconds per GiB before the upload can even start. Their MD5 is computed during the PUT and checked against the
 * storage ETag all the same; they are only registered without `tenantReference` (which is optional).
 */
export const INTAKE_HASH_MAX_BYTES = 64 * 1024 * 1024;

/** Bytes read per call when hashing at intake (one buffer per file, reused for every read). */
const HASH_READ_BYTES = 1024 * 1024;

/** Reasons of classification that are failures of the item rather than files to leave out. */
const FAILURE_PREFIXES = ['empty file', 'vanished', 'unreadable'];

/** Checks that the file on disk is still the one queued; returns why not, or null. */
export async function fileChange(item: Pick<ItemRow, 'path' | 'size' | 'mtimeMs'>): Promise<string | null> {
  try {
    const stats = await stat(item.path);
    return stats.size !== item.size || stats.mtimeMs !== item.mtimeMs ? CHANGED_SINCE_QUEUED : null;
  } catch (error) {
    return describeFsError(error);
  }
}

/** What intake found out about a file: it is left out (skipped), it fails, or it is ready to upload. */
export type Inspection =
  | { outcome: 'skipped' | 'failed'; reason: string }
  | {
      outcome: 'probed';
      mediaKind: MediaKind;
      mime: string;
      fps: number | null;
      fpsVariable: boolean;
      frameCount: number | null;
      md5: string | null;
    };

/** The rules a file is inspected by. */
interface InspectionRules {
  /** Files larger than this fail (0 = no limit). */
  maxFileBytes: number;
  /** The media kind the user said the workflow takes. */
  declaredKind?: MediaKind | null;
  /** Hash whatever the size (to compare contents), not only up to INTAKE_HASH_MAX_BYTES. */
  hashAnySize?: boolean;
  /** The MD5 the add read already (the file's size and modification time are checked first): not read again. */
  knownMd5?: string | null;
}

function fail(reason: string): Inspection {
  return { outcome: 'failed', reason };
}

/**
 * Checks and probes one file, writing nothing: the same checks for the upload's intake step and for a dry run's
 * plan, so that the plan counts what the upload then does.
 */
export async function inspectFile(
  file: Pick<ItemRow, 'path' | 'size' | 'mtimeMs'>,
  rules: InspectionRules,
): Promise<Inspection> {
  const withinLimit = rules.maxFileBytes <= 0 || file.size <= rules.maxFileBytes;
  // A small file of a kind taken is read once, whole: the change check, the sniffing and the hash use those bytes.
  const whole =
    withinLimit && readsWhole(file.size) && !('skip' in kindByExtension(file.path))
      ? await readWholeFile(file, { hash: !rules.knownMd5 })
      : undefined;
  if (whole && 'problem' in whole) return fail(whole.problem);
  try {
    return await inspectRead(file, rules, withinLimit, whole);
  } finally {
    // The bytes are done with once the file is classified and hashed; nothing returned refers to them.
    whole?.release();
  }
}

/** inspectFile once a small file was read whole (`whole`), or for a file to be read in parts. */
async function inspectRead(
  file: Pick<ItemRow, 'path' | 'size' | 'mtimeMs'>,
  rules: InspectionRules,
  withinLimit: boolean,
  whole: { bytes: Buffer; md5(): string } | undefined,
): Promise<Inspection> {
  let classification: Classification;
  if (whole) classification = classifyContent(file.path, whole.bytes);
  else {
    const changed = await fileChange(file);
    if (changed) return fail(changed);
    if (file.size === 0) return fail('empty file');
    if (!withinLimit) {
      return fail(`over the size limit (${formatBytes(file.size)} > ${formatBytes(rules.maxFileBytes)})`);
    }
    classification = await classifyFile(file.path, file.size);
  }
  if ('skip' in classification) {
    if (FAILURE_PREFIXES.some((prefix) => classification.skip.startsWith(prefix)))
      return fail(classification.skip);
    return { outcome: 'skipped', reason: classification.skip };
  }
  const misfit = checkKindFits(classification.kind, rules.declaredKind ?? undefined);
  if (misfit) return fail(`type mismatch: ${misfit}`);
  let probe: VideoProbe | undefined;
  if (classification.kind === 'video') {
    try {
      probe = await probeVideo(file.path);
    } catch (error) {
      return fail(`video probe failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // A video the probe had to read whole (no index, no duration) was hashed on the way, whatever its size: it is
  // not read again here.
  let hashed =
    probe?.hashed ??
    (rules.knownMd5 ? { md5: rules.knownMd5, bytes: file.size } : undefined) ??
    (whole ? { md5: whole.md5(), bytes: whole.bytes.length } : undefined);
  if (!hashed && (file.size <= INTAKE_HASH_MAX_BYTES || rules.hashAnySize)) {
    try {
      hashed = await md5ForIntake(file.path, file.size);
    } catch (error) {
      return fail(describeFsError(error));
    }
  }
  if (hashed && hashed.bytes !== file.size) return fail('changed since it was queued (size differs)');
  return {
    outcome: 'probed',
    mediaKind: classification.kind,
    mime: classification.mime,
    fps: probe?.fps ?? null,
    fpsVariable: probe?.variableFrameRate ?? false,
    frameCount: probe?.frameCount ?? null,
    md5: hashed?.md5 ?? null,
  };
}

/**
 * Runs intake checks and probing for one queued file and writes the outcome (probed, skipped or failed). Resolves
 * with the state written, or null when the item was canceled meanwhile and nothing was.
 */
export async function probeItem(
  ctx: StepContext,
  item: ItemRow,
  target: TargetRow | undefined,
): Promise<StoredState | null> {
  const { journal } = ctx;
  const dedupe = ctx.contentDedupe.appliesTo(item);
  const found = await inspectFile(item, {
    maxFileBytes: ctx.maxFileBytes,
    declaredKind: target?.declaredKind ?? null,
    hashAnySize: dedupe,
    // Only on its first intake (never probed): a retry reads the file again, whatever went wrong the last time.
    knownMd5: item.mediaKind === null ? item.md5 : null,
  });
  // One grouped write (group-commit.ts): a crash before its commit leaves the item queued, to be probed again.
  return journal.grouped.submit((): StoredState | null => {
    if (found.outcome === 'failed') {
      const made = advanceItem(journal, item.id, {
        state: 'failed',
        reason: found.reason,
        resumeState: 'queued',
      });
      addEvent(journal, item.id, 'intake', found.reason);
      return made ? 'failed' : null;
    }
    if (found.outcome === 'skipped') {
      return advanceItem(journal, item.id, { state: 'skipped', reason: found.reason }) ? 'skipped' : null;
    }
    const { outcome: _outcome, ...probed } = found as Extract<Inspection, { outcome: 'probed' }>;
    // The check and the write run together, one item after the other in the group, so two files of equal
    // content never both pass.
    const twin = dedupe && probed.md5 ? ctx.contentDedupe.twinOf(item, probed.md5) : null;
    if (twin) {
      const reason = identicalReason(twin);
      return advanceItem(journal, item.id, { state: 'skipped', reason, md5: probed.md5 }) ? 'skipped' : null;
    }
    return advanceItem(journal, item.id, { state: 'probed', ...probed }) ? 'probed' : null;
  });
}

/** MD5 of a whole file, read through one buffer sized for it (at most 1 MiB) and reused for every read. */
export async function md5ForIntake(
  path: string,
  expectedSize: number,
): Promise<{ md5: string; bytes: number }> {
  const hash = createHash('md5');
  // A small file gets a small buffer: intake probes many files at once.
  const buffer = Buffer.allocUnsafe(Math.min(HASH_READ_BYTES, Math.max(1, expectedSize)));
  const handle = await open(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { md5: hash.digest('hex'), bytes };
}

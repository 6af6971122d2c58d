/**
 * The `upload` command's flags, checked: the target and run key of a command line, the limits, the shard, and the
 * records file's reading options. A usage error names the flag and what it takes.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { RecordsDelimiter, UploadTarget } from '../../../common/api.ts';
import { MediaKind } from '../../../common/alegion.ts';
import { delimiterByName } from '../../uploads/index.ts';
import { parseShard } from '../../uploads/index.ts';
import type { Shard } from '../../uploads/index.ts';
import { encodingName } from '../../uploads/index.ts';
import { CliError, EXIT_USAGE, requireUuid } from '../cli-support.ts';
import type { ConnectionFlags } from '../cli-support.ts';

export interface UploadFlags extends ConnectionFlags {
  workflow: string;
  batch?: string;
  newBatch?: string;
  enabled?: boolean;
  concurrency?: string;
  putConcurrency?: string;
  bwlimit?: string;
  stateDir?: string;
  json?: boolean;
  records?: string;
  reimport?: boolean;
  encoding?: string;
  delimiter?: string;
  reupload?: boolean;
  kind?: string;
  maxFileSize?: string;
  shard?: string;
  maxRecords?: string;
  dryRun?: boolean;
  skipDuplicateContent?: boolean;
}

export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new CliError(`${flag} "${value}" must be a whole number from 1 to 64`, EXIT_USAGE);
  return n;
}

export function nonNegative(value: string | undefined, flag: string): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new CliError(`${flag} "${value}" must be a number of MB (0 = no limit)`, EXIT_USAGE);
  return n;
}

/**
 * The target and run key of a command line; the same arguments against the same server and account (`server`, see
 * serverKey) always give the same key, and another server or account another one.
 */
export function planFrom(
  paths: readonly string[],
  flags: UploadFlags,
  server = '',
): { target: UploadTarget; runKey: string; shard?: Shard } {
  const workflowId = requireUuid(flags.workflow, '--workflow');
  if ((flags.batch === undefined) === (flags.newBatch === undefined)) {
    throw new CliError('give either --batch <id> or --new-batch <name>', EXIT_USAGE);
  }
  if (flags.records && paths.length > 0)
    throw new CliError('give either paths or --records <file>, not both', EXIT_USAGE);
  if (!flags.records && paths.length === 0)
    throw new CliError('nothing to upload: give files or folders, or --records <file>', EXIT_USAGE);
  if (flags.enabled && flags.batch) throw new CliError('--enabled applies to --new-batch only', EXIT_USAGE);
  if (flags.records && (flags.dryRun || flags.skipDuplicateContent))
    throw new CliError(
      `--${flags.dryRun ? 'dry-run' : 'skip-duplicate-content'} applies to files; the app's Import records… checks a records file before it is sent`,
      EXIT_USAGE,
    );
  if (!flags.records)
    for (const flag of ['reimport', 'encoding', 'delimiter'] as const)
      if (flags[flag] !== undefined) throw new CliError(`--${flag} applies to --records only`, EXIT_USAGE);
  const shard = shardFlag(flags);
  const name = flags.newBatch?.trim();
  if (flags.newBatch !== undefined && !name) throw new CliError('--new-batch needs a name', EXIT_USAGE);
  let declaredKind: MediaKind | undefined;
  if (flags.kind !== undefined) {
    const parsed = MediaKind.safeParse(flags.kind);
    if (!parsed.success)
      throw new CliError(`--kind "${flags.kind}" must be image, video or text`, EXIT_USAGE);
    declaredKind = parsed.data;
  }
  const target: UploadTarget = {
    workflowId,
    ...(flags.batch
      ? { batchId: requireUuid(flags.batch, '--batch') }
      : { newBatch: { name: name ?? '', isEnabled: flags.enabled ?? false } }),
    ...(declaredKind ? { declaredKind } : {}),
  };
  const key = JSON.stringify({
    server,
    workflowId,
    batch: flags.batch ?? null,
    newBatch: name ?? null,
    paths: paths.map((p) => resolve(p)).sort(),
    records: flags.records ? resolve(flags.records) : null,
    reupload: flags.reupload ?? false,
    ...(flags.records ? recordsReadFlags(flags) : {}),
    ...(flags.reimport ? { reimport: true } : {}),
    ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
  });
  return {
    target,
    runKey: `cli:${createHash('sha256').update(key).digest('hex')}`,
    ...(shard ? { shard } : {}),
  };
}

/** `--shard I/N` or `auto/N`, checked: shards share a batch made beforehand, so each needs `--batch`. */
function shardFlag(flags: UploadFlags): Shard | undefined {
  if (flags.shard === undefined) return undefined;
  if (flags.records) throw new CliError('--shard applies to files, not to --records', EXIT_USAGE);
  if (flags.newBatch !== undefined)
    throw new CliError(
      '--shard needs --batch <id>: create the batch once beforehand (batch create) so that every shard uploads into it',
      EXIT_USAGE,
    );
  try {
    return parseShard(flags.shard);
  } catch (error) {
    throw new CliError(`--shard: ${(error as Error).message}`, EXIT_USAGE);
  }
}

/** The `--encoding` and `--delimiter` of a records upload, checked. */
export function recordsReadFlags(flags: UploadFlags): { encoding?: string; delimiter?: RecordsDelimiter } {
  const read: { encoding?: string; delimiter?: RecordsDelimiter } = {};
  if (flags.encoding !== undefined) {
    try {
      read.encoding = encodingName(flags.encoding);
    } catch (error) {
      throw new CliError(`--encoding: ${(error as Error).message}`, EXIT_USAGE);
    }
  }
  if (flags.delimiter !== undefined) {
    const name = delimiterByName(flags.delimiter);
    if (!name)
      throw new CliError(`--delimiter "${flags.delimiter}" must be comma, semicolon or tab`, EXIT_USAGE);
    read.delimiter = name;
  }
  return read;
}

/** `--max-records`: a whole number of at least 1, or null when not given. */
export function recordLimitFlag(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new CliError(`--max-records "${value}" must be a whole number of at least 1`, EXIT_USAGE);
  return n;
}

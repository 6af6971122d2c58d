/**
 * A deterministic share of the files for one of N machines: each file belongs to exactly one shard, decided by a
 * stable key of the file alone (its path below the root it was found under, with `/` separators), so every machine
 * that walks the same tree agrees on who uploads what without talking to the others.
 */
import { createHash } from 'node:crypto';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** Machines a shard count may name: enough for any cluster, small enough that a typo is caught. */
const MAX_SHARDS = 10_000;

/**
 * Reads `I/N` (0 ≤ I < N) or `auto/N`, where `auto` takes I from `JOB_COMPLETION_INDEX` (set by a Kubernetes Indexed
 * Job in each pod). Throws an Error whose message says what is wrong.
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const match = /^(auto|\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" must be I/N (for example 0/8) or auto/N`);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS)
    throw new Error(`the shard count in "${text}" must be from 1 to ${MAX_SHARDS}`);
  let indexText = match[1] as string;
  if (indexText === 'auto') {
    const fromJob = env.JOB_COMPLETION_INDEX;
    if (fromJob === undefined || !/^\d+$/.test(fromJob))
      throw new Error(
        `"${text}" takes the shard index from JOB_COMPLETION_INDEX, which is ${fromJob === undefined ? 'not set' : `"${fromJob}"`} (Kubernetes sets it in an Indexed Job)`,
      );
    indexText = fromJob;
  }
  const index = Number(indexText);
  if (index >= count) throw new Error(`the shard index ${index} must be below the shard count ${count}`);
  return { index, count };
}

/** The shard a file belongs to, from its path below its root. */
export function shardOf(relativePath: string, count: number): number {
  const digest = createHash('sha256').update(relativePath, 'utf8').digest();
  // 48 bits are exact in a double and spread evenly for any count up to MAX_SHARDS.
  return digest.readUIntBE(0, 6) % count;
}

/** True when the file is this shard's to upload (every file is, without a shard). */
export function inShard(relativePath: string, shard: Shard | undefined): boolean {
  return !shard || shard.count === 1 || shardOf(relativePath, shard.count) === shard.index;
}

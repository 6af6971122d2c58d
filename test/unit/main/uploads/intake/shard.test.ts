import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../../../../main/uploads/intake/shard.ts';

describe('parseShard', () => {
  it('reads I/N, and auto/N from JOB_COMPLETION_INDEX', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 4 });
  });

  it.each([
    ['8/8', {}, 'the shard index 8 must be below the shard count 8'],
    ['1/0', {}, 'the shard count in "1/0" must be from 1 to 10000'],
    ['a/4', {}, '"a/4" must be I/N (for example 0/8) or auto/N'],
    ['-1/4', {}, '"-1/4" must be I/N'],
    ['auto/4', {}, 'JOB_COMPLETION_INDEX, which is not set'],
    ['auto/4', { JOB_COMPLETION_INDEX: 'x' }, 'JOB_COMPLETION_INDEX, which is "x"'],
    ['auto/4', { JOB_COMPLETION_INDEX: '4' }, 'the shard index 4 must be below the shard count 4'],
  ])('refuses %s with a reason', (text, env, message) => {
    expect(() => parseShard(text, env)).toThrow(message);
  });
});

describe('shardOf', () => {
  const paths = Array.from({ length: 4000 }, (_, i) => `day-${i % 17}/cam ${i % 5}/img-${i}.png`);

  it('puts every file in exactly one shard, evenly enough', () => {
    const sizes = new Array<number>(8).fill(0);
    for (const path of paths) {
      const owners = [0, 1, 2, 3, 4, 5, 6, 7].filter((index) => inShard(path, { index, count: 8 }));
      expect(owners).toHaveLength(1);
      sizes[owners[0] as number] = (sizes[owners[0] as number] ?? 0) + 1;
    }
    for (const size of sizes) expect(size).toBeGreaterThan(4000 / 8 / 1.25);
  });

  it('is the documented key: the first 48 bits of SHA-256 of the relative path, modulo N', () => {
    // The rule other tools (a scheduler script, another version) must agree with.
    for (const path of paths.slice(0, 50)) {
      const bits = BigInt(`0x${createHash('sha256').update(path).digest('hex').slice(0, 12)}`);
      expect(shardOf(path, 7)).toBe(Number(bits % 7n));
    }
  });

  it('takes every file without a shard or with one shard', () => {
    expect(inShard('a.png', undefined)).toBe(true);
    expect(inShard('a.png', { index: 0, count: 1 })).toBe(true);
  });
});

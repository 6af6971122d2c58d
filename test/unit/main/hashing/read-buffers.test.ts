import { describe, expect, it } from 'vitest';
import {
  adoptReadBuffer,
  giveBackReadBuffer,
  pooledReadBytes,
  takeReadBuffer,
} from '../../../../main/hashing/read-buffers.ts';

/** Empties the pool (module state shared by the tests of this file). */
function drain(): void {
  while (pooledReadBytes() > 0) takeReadBuffer(1);
}

describe('read buffers', () => {
  it('hands a buffer given back to the next read of a size it fits, and never to two reads at once', () => {
    drain();
    const first = takeReadBuffer(65_537);
    expect(first.byteLength).toBeGreaterThanOrEqual(65_537);
    giveBackReadBuffer(first);
    giveBackReadBuffer(first);
    expect(pooledReadBytes()).toBe(first.byteLength);
    expect(takeReadBuffer(60_000)).toBe(first);
    expect(takeReadBuffer(60_000)).not.toBe(first);
  });

  it('keeps a buffer of another size for a read it fits: not one far too small, nor far too large', () => {
    drain();
    const large = takeReadBuffer(1_048_577);
    giveBackReadBuffer(large);
    expect(takeReadBuffer(10_000)).not.toBe(large);
    expect(takeReadBuffer(2_000_000)).not.toBe(large);
    expect(takeReadBuffer(600_000)).toBe(large);
  });

  it('takes back only its own buffers, and those that came back from a worker in their place', () => {
    drain();
    giveBackReadBuffer(new ArrayBuffer(65_536));
    expect(pooledReadBytes()).toBe(0);
    const sent = takeReadBuffer(1000);
    const returned = structuredClone(sent, { transfer: [sent] });
    expect(sent.byteLength).toBe(0);
    giveBackReadBuffer(sent);
    giveBackReadBuffer(returned);
    expect(pooledReadBytes()).toBe(0);
    adoptReadBuffer(returned);
    giveBackReadBuffer(returned);
    expect(pooledReadBytes()).toBe(returned.byteLength);
  });

  it('holds at most 16 MiB of free buffers', () => {
    drain();
    const taken = Array.from({ length: 40 }, () => takeReadBuffer(1_048_577));
    for (const buffer of taken) giveBackReadBuffer(buffer);
    expect(pooledReadBytes()).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(pooledReadBytes()).toBeGreaterThan(14 * 1024 * 1024);
  });
});

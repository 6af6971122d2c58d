import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  RandomAccessSource,
  SequentialSource,
} from '../../../../../../main/uploads/intake/video/byte-source.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'byte-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of pseudo-random bytes, larger than the sequential source's 1 MiB chunk. */
const content = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 777 }, (_, i) => (i * 2654435761) >>> 24));
const file = path.join(dir, 'bytes.bin');
writeFileSync(file, content);

/** Reads as a parser makes them: offsets that never go back, lengths from a header's few bytes to a large element. */
const reads = fc.array(
  fc.record({ skip: fc.integer({ min: 0, max: 600_000 }), length: fc.integer({ min: 1, max: 300_000 }) }),
  { maxLength: 30 },
);

describe('SequentialSource', () => {
  it('hands out the bytes asked for and hashes the whole file once, whatever it skips', async () => {
    await fc.assert(
      fc.asyncProperty(reads, async (plan) => {
        const handle = await open(file, 'r');
        try {
          const source = new SequentialSource(handle, content.length);
          let offset = 0;
          const kept: Array<{ offset: number; bytes: Uint8Array }> = [];
          for (const { skip, length } of plan) {
            offset += skip;
            const bytes = await source.read(offset, length);
            expect(Buffer.from(bytes).equals(content.subarray(offset, offset + length))).toBe(true);
            kept.push({ offset, bytes });
          }
          // Slices handed out earlier are still what they were.
          for (const { offset: at, bytes } of kept) {
            expect(Buffer.from(bytes).equals(content.subarray(at, at + bytes.length))).toBe(true);
          }
          const { md5, bytes } = await source.finish();
          expect(bytes).toBe(content.length);
          expect(md5).toBe(createHash('md5').update(content).digest('hex'));
          expect(source.bytesRead).toBe(content.length);
        } finally {
          await handle.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses to go back', async () => {
    const handle = await open(file, 'r');
    try {
      const source = new SequentialSource(handle, content.length);
      await source.read(2_000_000, 10);
      await expect(source.read(100, 10)).rejects.toThrow(/went back/);
    } finally {
      await handle.close();
    }
  });
});

describe('RandomAccessSource', () => {
  it('hands out the bytes asked for, anywhere, and counts only what it read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ offset: fc.nat(content.length + 100), length: fc.integer({ min: 1, max: 70_000 }) }),
          {
            maxLength: 30,
          },
        ),
        async (plan) => {
          const handle = await open(file, 'r');
          try {
            const source = new RandomAccessSource(handle, content.length);
            let most = 0;
            for (const { offset, length } of plan) {
              const bytes = await source.read(offset, length);
              expect(Buffer.from(bytes).equals(content.subarray(offset, offset + length))).toBe(true);
              most += Math.max(length, 512);
            }
            expect(source.bytesRead).toBeLessThanOrEqual(most);
          } finally {
            await handle.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

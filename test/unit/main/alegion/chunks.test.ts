import { describe, expect, it } from 'vitest';
import { chunk } from '../../../../main/alegion/chunks.ts';

describe('chunk', () => {
  it('splits 2,500 items into 1,000 + 1,000 + 500, in order', () => {
    const items = Array.from({ length: 2_500 }, (_, index) => index);
    const chunks = chunk(items, 1_000);
    expect(chunks.map((part) => part.length)).toEqual([1_000, 1_000, 500]);
    expect(chunks.flat()).toEqual(items);
  });

  it('gives exactly one chunk at the limit and none for no items', () => {
    expect(
      chunk(
        Array.from({ length: 1_000 }, () => 'x'),
        1_000,
      ),
    ).toHaveLength(1);
    expect(chunk([], 1_000)).toEqual([]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });
});

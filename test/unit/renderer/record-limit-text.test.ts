import { describe, expect, it } from 'vitest';
import { MAX_RECORD_LIMIT, RecordLimit } from '../../../common/api.ts';
import { readRecordLimit } from '../../../renderer/record-limit-text.ts';

describe('the record limit as typed', () => {
  it('reads empty as no limit and whole numbers of at least 1 as the limit', () => {
    expect(readRecordLimit('')).toEqual({ limit: null });
    expect(readRecordLimit('   ')).toEqual({ limit: null });
    expect(readRecordLimit(' 500 ')).toEqual({ limit: 500 });
    expect(readRecordLimit('1,000')).toEqual({ limit: 1000 });
    expect(readRecordLimit(String(MAX_RECORD_LIMIT))).toEqual({ limit: MAX_RECORD_LIMIT });
  });

  it.each([
    ['0', 'A limit of 0 would create nothing.'],
    ['-5', 'The limit can’t be negative.'],
    ['2.5', 'The limit must be a whole number of records.'],
    ['ten', '“ten” is not a number.'],
    ['1,00', '“1,00” is not a number.'],
    ['0x10', '“0x10” is not a number.'],
    ['Infinity', '“Infinity” is not a number.'],
    [String(MAX_RECORD_LIMIT + 1), 'The limit can be at most 1,000,000,000.'],
  ])('says what is wrong with %s', (typed, said) => {
    const read = readRecordLimit(typed);
    expect('problem' in read && read.problem).toContain(said);
  });

  it('accepts exactly what the contract accepts', () => {
    for (const typed of ['1', '7', '1,000', '0', '-1', '2.5', '1e3', '1e400', String(MAX_RECORD_LIMIT + 1)]) {
      const read = readRecordLimit(typed);
      const n = Number(typed.replaceAll(',', ''));
      const contract = RecordLimit.safeParse(n).success;
      expect('limit' in read, typed).toBe(contract);
    }
  });
});

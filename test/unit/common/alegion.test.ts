import { describe, expect, it } from 'vitest';
import { ImportRecord, isUuid } from '../../../common/alegion.ts';

describe('isUuid', () => {
  it('accepts canonical UUIDs and refuses anything else', () => {
    expect(isUuid('c226197c-17c5-4cc6-9529-0098ae771148')).toBe(true);
    expect(isUuid('c226197c17c54cc695290098ae771148')).toBe(false);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid('c226197c-17c5-4cc6-9529-0098ae771148/extra')).toBe(false);
  });
});

describe('ImportRecord', () => {
  it("accepts the tutorial's valid record and refuses metadata that is not a string", () => {
    expect(
      ImportRecord.safeParse({ data: { input_fieldname: 'this is my value' }, metadata: 'external_ID' })
        .success,
    ).toBe(true);
    expect(ImportRecord.safeParse({ data: { a: 1 }, metadata: 42 }).success).toBe(false);
    expect(ImportRecord.safeParse({ data: { a: 1 }, extra: 'x' }).success).toBe(false);
  });
});

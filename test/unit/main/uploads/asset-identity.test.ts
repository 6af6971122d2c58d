import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../../../../common/exact-json.ts';
import { assetNameFor } from '../../../../main/uploads/asset-identity.ts';
import {
  recordContentKey,
  recordPayload,
  RecordsByContent,
  rowKeys,
} from '../../../../main/uploads/record-identity.ts';
import { linkVaultWithKey } from '../../../../main/uploads/journal/link-vault.ts';

describe('stable identities', () => {
  it('names an asset after the file, the journal and the item, the same every time', () => {
    const name = assetNameFor('1234abcd-0000-4000-8000-000000000000', 42, '/photos/cat picture.jpg');
    expect(name).toBe('cat picture~1234abcd-42.jpg');
    expect(assetNameFor('1234abcd-0000-4000-8000-000000000000', 42, '/photos/cat picture.jpg')).toBe(name);
    expect(assetNameFor('1234abcd-0000-4000-8000-000000000000', 43, '/photos/cat picture.jpg')).not.toBe(
      name,
    );
  });
});

describe('record identity', () => {
  it('sends the record as written: metadata only when given, big numbers unrounded', () => {
    const record = parseExactJson('{"data":{"id":12345678901234567890,"t":"x"},"metadata":"m1"}') as {
      data: Record<string, unknown>;
      metadata?: string;
    };
    expect(recordPayload(record)).toBe('{"data":{"id":12345678901234567890,"t":"x"},"metadata":"m1"}');
    expect(recordPayload({ data: { t: 'x' } })).toBe('{"data":{"t":"x"}}');
  });

  it('keys identical rows apart by occurrence, and the same rows the same way on a rerun', () => {
    const rows = ['{"data":{"a":1}}', '{"data":{"a":2}}', '{"data":{"a":1}}'];
    const keys = rowKeys(rows);
    expect(keys[0]).toMatch(/^record:[\w-]{32}#1$/);
    expect(keys[2]).toBe(keys[0]?.replace(/#1$/, '#2'));
    expect(new Set(keys).size).toBe(3);
    expect(rowKeys(rows)).toEqual(keys);
    expect(rowKeys(['{"data":{"a":1}}', '{"data":{"a":1}}', '{"data":{"a":1}}'])[2]).toMatch(/#3$/);
  });

  it('matches listed records by content whatever the key order, telling absent and empty metadata apart', () => {
    expect(recordContentKey({ a: 1, b: { c: 2, d: 3 } }, 'm')).toBe(
      recordContentKey({ b: { d: 3, c: 2 }, a: 1 }, 'm'),
    );
    expect(recordContentKey({ a: 1 }, undefined)).toBe(recordContentKey({ a: 1 }, null));
    expect(recordContentKey({ a: 1 }, '')).not.toBe(recordContentKey({ a: 1 }, null));
    expect(recordContentKey({ a: 1 }, 'x')).not.toBe(recordContentKey({ a: 2 }, 'x'));
    const byContent = new RecordsByContent();
    byContent.add('k', 'r1');
    byContent.add('k', 'r2');
    expect([byContent.take('k'), byContent.take('k'), byContent.take('k')]).toEqual(['r1', 'r2', undefined]);
  });
});

describe('link vault', () => {
  it('seals signed URLs so the journal never holds them in plain text, and refuses another key', () => {
    const url = 'http://127.0.0.1:4010/storage/abc?Signature=secret&Expires=1';
    const vault = linkVaultWithKey(Buffer.alloc(32, 7));
    const sealed = vault.seal(url);
    expect(sealed).not.toContain('secret');
    expect(vault.open(sealed)).toBe(url);
    expect(linkVaultWithKey(Buffer.alloc(32, 8)).open(sealed)).toBeNull();
    expect(vault.open('garbage')).toBeNull();
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  elementStartLines,
  MAX_LISTED_ERRORS,
  readRecordsFile,
  validateRecord,
} from '../../../../../main/uploads/intake/records-file.ts';

const fixture = (name: string): string =>
  path.join(import.meta.dirname, '../../../../fixtures/records', name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'records-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
function put(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('readRecordsFile: JSON array', () => {
  it('reads the tutorial’s valid example and names the line each record starts on', async () => {
    const result = await readRecordsFile(fixture('valid.json'));
    expect(result.errors).toEqual([]);
    expect(result.format).toBe('json');
    expect(result.records).toEqual([
      { data: { input_fieldname: 'this is my value' }, metadata: 'external_ID' },
      { data: { sentence: 'Zoë met José in Zürich.', lang: 'en' } },
    ]);
    expect(result.lines).toEqual([2, 8]);
  });

  it('rejects the tutorial’s invalid example: metadata inside data, on the record’s line', async () => {
    const result = await readRecordsFile(fixture('tutorial-invalid.json'));
    expect(result.records).toEqual([]);
    expect(result.errors).toEqual([
      { line: 2, message: '"metadata" is inside "data"; it is reserved and must be a sibling of "data"' },
    ]);
  });

  it('names the line of a JSON syntax error', async () => {
    const file = put('broken.json', '[\n  {"data": {"a": 1}},\n  {"data": {"a": 2}\n]\n');
    const { errors, records } = await readRecordsFile(file);
    expect(records).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(4);
    expect(errors[0]?.message).toMatch(/^not valid JSON: /);
  });

  it('refuses a JSON file that is not an array of records', async () => {
    const file = put('object.json', '  {"records": []}');
    // Not starting with "[" means JSON lines; one line holding an object without "data".
    expect((await readRecordsFile(file)).errors).toEqual([
      { line: 1, message: 'the record has no "data" object' },
    ]);
  });

  it('reads a .json file holding JSON lines as JSON lines', async () => {
    const file = put('lines.json', '{"data": {"a": "1"}}\n{"data": {"a": "2"}, "metadata": "m"}\n');
    const result = await readRecordsFile(file);
    expect(result.format).toBe('jsonl');
    expect(result.records).toHaveLength(2);
  });
});

describe('readRecordsFile: JSON lines', () => {
  it('keeps the good records and lists every bad line with its reason', async () => {
    const result = await readRecordsFile(fixture('mixed.jsonl'));
    expect(result.records).toEqual([
      { data: { text: 'first record' }, metadata: 'row-1' },
      { data: { text: 'second record' } },
      { data: { text: 'last good' }, metadata: 'row-10' },
    ]);
    expect(result.lines).toEqual([1, 2, 10]);
    expect(result.errors.map((e) => e.line)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(result.errors[0]?.message).toBe('"metadata" must be a string, not a number');
    expect(result.errors[1]?.message).toContain('must be a sibling of "data"');
    expect(result.errors[2]?.message).toMatch(/^not valid JSON: .*at column \d+/);
    expect(result.errors[3]?.message).toBe('the record has no "data" object');
    expect(result.errors[4]?.message).toBe(
      'unknown field "meta" next to "data" (a record has only "data" and "metadata")',
    );
    expect(result.errors[5]?.message).toBe(
      '"data" must be an object of field names and values, not an array',
    );
  });

  it('streams a generated 2,500-line file into 2,500 records in order', async () => {
    const file = path.join(dir, 'big.jsonl');
    const out = createWriteStream(file);
    for (let i = 1; i <= 2500; i++) {
      const record =
        i % 2
          ? { data: { text: `sentence ${i}`, n: i } }
          : { data: { text: `sentence ${i}` }, metadata: `id-${i}` };
      if (!out.write(`${JSON.stringify(record)}\r\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const result = await readRecordsFile(file);
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(2500);
    expect(result.records[0]).toEqual({ data: { text: 'sentence 1', n: 1 } });
    expect(result.records[2499]).toEqual({ data: { text: 'sentence 2500' }, metadata: 'id-2500' });
    expect(result.lines[2499]).toBe(2500);
  });

  it('lists at most a hundred errors, then counts the rest from the first unlisted line', async () => {
    const file = put('all-bad.jsonl', Array.from({ length: 150 }, () => '{"data": 1}').join('\n'));
    const { errors, records } = await readRecordsFile(file);
    expect(records).toEqual([]);
    expect(errors).toHaveLength(MAX_LISTED_ERRORS + 1);
    expect(errors.at(-1)).toEqual({ line: 101, message: '50 more errors from this line on are not listed' });
  });

  it('ignores a byte-order mark and blank lines', async () => {
    const file = put('bom.jsonl', '\uFEFF{"data": {"a": "b"}}\n\n   \n');
    expect(await readRecordsFile(file)).toMatchObject({ errors: [], records: [{ data: { a: 'b' } }] });
  });
});

describe('readRecordsFile: CSV', () => {
  it('turns columns into data fields and the metadata column into metadata (empty cell: none)', async () => {
    const result = await readRecordsFile(fixture('valid.csv'));
    expect(result.errors).toEqual([]);
    expect(result.records).toEqual([
      { data: { text: 'Hello, world', label: 'greeting' }, metadata: 'ext-1' },
      { data: { text: 'multi\nline "quoted" cell', label: 'note' } },
      { data: { text: 'plain', label: 'other' }, metadata: 'ext-3' },
    ]);
    expect(result.lines).toEqual([2, 3, 5]);
  });

  it('names the line of a row with the wrong column count and of an unclosed quote', async () => {
    const result = await readRecordsFile(fixture('invalid.csv'));
    expect(result.records).toEqual([{ data: { text: 'ok', label: 'one' } }]);
    expect(result.errors).toEqual([
      { line: 3, message: 'the row has 3 columns but the header has 2' },
      { line: 4, message: 'a quoted field is never closed (missing ")' },
    ]);
  });

  it.each([
    [
      'text,,label\n',
      'the header row has an empty column name (column 2); the first row must name the data fields',
    ],
    ['text,label,text\n', 'the header row names the column "text" twice'],
    ['metadata\nx\n', 'the header row has no data columns besides "metadata"'],
  ])('refuses a bad header row %j', async (content, message) => {
    const file = put('header.csv', content);
    expect((await readRecordsFile(file)).errors).toEqual([{ line: 1, message }]);
  });

  it('refuses an empty CSV and a header without rows', async () => {
    expect((await readRecordsFile(put('empty.csv', ''))).errors).toEqual([
      { line: 0, message: 'the file is empty: a CSV records file starts with a header row of field names' },
    ]);
    expect((await readRecordsFile(put('header-only.csv', 'text\n'))).errors).toEqual([
      { line: 0, message: 'the file holds no records' },
    ]);
  });
});

describe('readRecordsFile: the file itself', () => {
  it('refuses an unsupported extension and a missing file with a line-0 error', async () => {
    expect((await readRecordsFile(put('records.xml', '<x/>'))).errors).toEqual([
      { line: 0, message: 'unsupported records file type (.xml): use .json, .jsonl or .csv' },
    ]);
    expect((await readRecordsFile(path.join(dir, 'missing.jsonl'))).errors).toEqual([
      { line: 0, message: 'cannot read the records file: vanished: it no longer exists' },
    ]);
  });
});

describe('validateRecord', () => {
  it('accepts data with optional string metadata and nothing else', () => {
    expect(validateRecord({ data: { a: 1 } })).toEqual({ data: { a: 1 } });
    expect(validateRecord({ data: { a: [1, { b: 2 }] }, metadata: '' })).toEqual({
      data: { a: [1, { b: 2 }] },
      metadata: '',
    });
    expect(validateRecord([])).toMatch(/^a record must be an object/);
    expect(validateRecord({ data: null })).toBe(
      '"data" must be an object of field names and values, not null',
    );
    expect(validateRecord({ data: {} })).toBe('"data" has no fields');
    expect(validateRecord({ data: { a: 1 }, metadata: null })).toBe('"metadata" must be a string, not null');
    expect(validateRecord({ data: { a: 1 }, metadata: { id: 1 } })).toBe(
      '"metadata" must be a string, not an object',
    );
  });
});

describe('elementStartLines', () => {
  it('ignores brackets, commas and escaped quotes inside strings and nested values', () => {
    const text = '[\n{"a": "x, ] \\" ["},\n\n  [1, [2,\n3]], "s",\n7]';
    expect(elementStartLines(text)).toEqual([2, 4, 5, 6]);
    expect(elementStartLines('[]')).toEqual([]);
  });
});

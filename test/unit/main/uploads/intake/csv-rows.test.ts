import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CsvRow } from '../../../../../main/uploads/intake/csv-rows.ts';
import { readCsvRows } from '../../../../../main/uploads/intake/csv-rows.ts';

async function parse(chunks: string[]): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const batch of readCsvRows(Readable.from(chunks.map((c) => Buffer.from(c)))))
    rows.push(...batch);
  return rows;
}

/** Every way of cutting the text in two, so state carried across chunk boundaries is exercised. */
async function parseAllSplits(text: string): Promise<CsvRow[][]> {
  const results: CsvRow[][] = [];
  for (let i = 0; i <= text.length; i++) results.push(await parse([text.slice(0, i), text.slice(i)]));
  return results;
}

describe('readCsvRows', () => {
  it('parses quotes, doubled quotes, commas and line breaks inside quotes, CRLF and LF, the same for every chunk split', async () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\nlast,row';
    const expected: CsvRow[] = [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
      { line: 5, fields: ['last', 'row'] },
    ];
    for (const rows of await parseAllSplits(text)) expect(rows).toEqual(expected);
  });

  it('keeps empty fields and treats a lone CR as a line end', async () => {
    expect(await parse([',a,\r"",b,c\r'])).toEqual([
      { line: 1, fields: ['', 'a', ''] },
      { line: 2, fields: ['', 'b', 'c'] },
    ]);
  });

  it('splits a multi-byte character across chunks without damage', async () => {
    const bytes = Buffer.from('name\nZürich\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const rows: CsvRow[] = [];
    for await (const batch of readCsvRows(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)])))
      rows.push(...batch);
    expect(rows[1]?.fields).toEqual(['Zürich']);
  });

  it('flags text after a closing quote and an unclosed quote, on the row’s first line', async () => {
    expect(await parse(['a,"b"c\n"open\nnever closed'])).toEqual([
      { line: 1, fields: ['a', 'bc'], problem: 'text after the closing quote of a quoted field' },
      { line: 2, fields: ['open\nnever closed'], problem: 'a quoted field is never closed (missing ")' },
    ]);
  });
});

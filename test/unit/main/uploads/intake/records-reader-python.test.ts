/**
 * The records reader against Python's csv and json modules: every file here is written by the test, and what it
 * should read as comes from Python at test time, never from hand-written expectations.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordsFile } from '../../../../../main/uploads/intake/records-file.ts';
import type { RecordsReadOptions } from '../../../../../main/uploads/intake/records-file.ts';
import { numbersAsText, pythonMissing, readWithPython } from '../../../../support/python-records.ts';
import type { PythonRead, PythonResult } from '../../../../support/python-records.ts';

if (pythonMissing) console.log(`records reader vs Python: skipped, ${pythonMissing}`);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'records-python-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Windows-1252 bytes of text made of Latin-1 letters plus the few 0x80-0x9F characters used here. */
function windows1252(text: string): Buffer {
  const high: Record<string, number> = { '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94, œ: 0x9c };
  return Buffer.from([...text].map((ch) => high[ch] ?? ch.charCodeAt(0)));
}

function utf16be(text: string): Buffer {
  const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return bytes.swap16();
}

interface Case {
  name: string;
  file: string;
  bytes: Buffer;
  codec: string;
  delimiter?: string;
  options?: RecordsReadOptions;
  /** What the reader should report having used. */
  encoding: string;
  separator?: 'comma' | 'semicolon' | 'tab';
}

const tenThousand = [
  'id,text,label,metadata',
  ...Array.from({ length: 10_000 }, (_, i) => {
    const text = i % 7 === 0 ? `"row ${i}, with ""quotes""\nand a second line"` : `row ${i} café 東京 שלום`;
    return `${i},${text},${i % 3 === 0 ? '"a,b"' : 'plain'},${i % 5 === 0 ? '' : `ext-${i}`}`;
  }),
].join('\r\n');

const CASES: Case[] = [
  {
    name: 'UTF-8 with a BOM and CRLF line ends',
    file: 'bom-crlf.csv',
    bytes: Buffer.from('\uFEFFtext,label,metadata\r\nHello,greeting,m1\r\nZoë,name,\r\n', 'utf8'),
    codec: 'utf-8-sig',
    delimiter: ',',
    encoding: 'utf-8',
    separator: 'comma',
  },
  {
    name: 'CR-only line ends (old Mac Excel)',
    file: 'cr-only.csv',
    bytes: Buffer.from('text,label\rone,a\rtwo,b\r', 'utf8'),
    codec: 'utf-8',
    delimiter: ',',
    encoding: 'utf-8',
    separator: 'comma',
  },
  {
    name: 'quoted commas, quotes and line breaks',
    file: 'quoted.csv',
    bytes: Buffer.from(
      'text,label,metadata\n"Hello, world",greeting,"id ""7"""\n"multi\nline ""quoted"" cell",note,\n"a\r\nb",crlf inside,x\nsay "hi" there,bare quotes,\n',
      'utf8',
    ),
    codec: 'utf-8',
    delimiter: ',',
    encoding: 'utf-8',
    separator: 'comma',
  },
  {
    name: 'emoji, CJK and right-to-left text',
    file: 'scripts.csv',
    bytes: Buffer.from(
      'text,lang\n👩🏽‍💻 codes 🎉,emoji\n東京は晴れ、気温は２５度,ja\n中文，逗号,zh\nمرحبا بالعالم,ar\nשלום עולם,he\n',
      'utf8',
    ),
    codec: 'utf-8',
    delimiter: ',',
    encoding: 'utf-8',
    separator: 'comma',
  },
  {
    name: '10,000 rows',
    file: 'ten-thousand.csv',
    bytes: Buffer.from(tenThousand, 'utf8'),
    codec: 'utf-8',
    delimiter: ',',
    encoding: 'utf-8',
    separator: 'comma',
  },
  {
    name: 'Windows-1252 (Excel "CSV (Comma delimited)") with --encoding windows-1252',
    file: 'excel-1252.csv',
    bytes: windows1252(
      'text;label;metadata\r\nCrème brûlée à 5 €;dessert;r1\r\nStraße “quoted”;street;r2\r\nœuvre’s;word;\r\n',
    ),
    codec: 'cp1252',
    delimiter: ';',
    options: { encoding: 'windows-1252' },
    encoding: 'windows-1252',
    separator: 'semicolon',
  },
  {
    name: 'UTF-16 LE with its BOM (Excel "Unicode text": tab separated)',
    file: 'unicode-text.csv',
    bytes: Buffer.from('\uFEFFtext\tlabel\r\nZoë met José\tnames\r\n東京\tcity\r\n', 'utf16le'),
    codec: 'utf-16',
    delimiter: '\t',
    encoding: 'utf-16le',
    separator: 'tab',
  },
  {
    name: 'UTF-16 BE with its BOM',
    file: 'utf16be.csv',
    bytes: utf16be('text,label\nÄpfel,fruit\n🍎,emoji\n'),
    codec: 'utf-16',
    delimiter: ',',
    encoding: 'utf-16be',
    separator: 'comma',
  },
  {
    name: 'semicolons with no comma anywhere (Excel in most European locales)',
    file: 'semicolons.csv',
    bytes: Buffer.from('text;label;metadata\nBonjour;greeting;m1\n"a;b";quoted;\n', 'utf8'),
    codec: 'utf-8',
    delimiter: ';',
    encoding: 'utf-8',
    separator: 'semicolon',
  },
  {
    name: 'semicolons, with commas inside the cells',
    file: 'semicolons-commas.csv',
    bytes: Buffer.from('text;label\n1,5 kg;weight\nHello, world;greeting\n', 'utf8'),
    codec: 'utf-8',
    delimiter: ';',
    encoding: 'utf-8',
    separator: 'semicolon',
  },
  {
    name: 'tabs',
    file: 'tabs.csv',
    bytes: Buffer.from('text\tlabel\tmetadata\na, b; c\tx\tm\n"tab\tinside"\ty\t\n', 'utf8'),
    codec: 'utf-8',
    delimiter: '\t',
    encoding: 'utf-8',
    separator: 'tab',
  },
  {
    name: 'JSON lines with big integers and decimals as written',
    file: 'numbers.jsonl',
    bytes: Buffer.from(
      [
        '{"data":{"id":12345678901234567890,"n":-9007199254740993}}',
        '{"data":{"price":1.50,"tiny":1e-7,"big":1E+400,"zero":-0},"metadata":"m"}',
        '{"data":{"nested":[1,2.0,{"x":123456789012345678901234567890}]}}',
      ].join('\n'),
      'utf8',
    ),
    codec: 'utf-8',
    encoding: 'utf-8',
  },
  {
    name: 'a JSON array with big integers, CRLF line ends',
    file: 'numbers.json',
    bytes: Buffer.from(
      '[\r\n  {"data": {"id": 12345678901234567890}, "metadata": "a"},\r\n  {"data": {"v": 0.1, "w": 100}}\r\n]\r\n',
      'utf8',
    ),
    codec: 'utf-8',
    encoding: 'utf-8',
  },
  {
    name: 'JSON lines with raw U+2028 and U+2029 inside strings (json.dumps ensure_ascii=False)',
    file: 'separators.jsonl',
    bytes: Buffer.from(
      [
        JSON.stringify({ data: { text: 'line\u2028separator' }, metadata: 'para\u2029graph' }),
        JSON.stringify({ data: { text: 'second \u2028\u2029 row', emoji: '🎉' } }),
        JSON.stringify({ data: { text: 'third' } }),
      ].join('\r\n') + '\r\n',
      'utf8',
    ),
    codec: 'utf-8',
    encoding: 'utf-8',
  },
];

describe.skipIf(pythonMissing !== null)('the records reader reads files as Python’s csv and json do', () => {
  let expected: PythonResult[];
  beforeAll(() => {
    for (const c of CASES) writeFileSync(path.join(dir, c.file), c.bytes);
    const specs: PythonRead[] = CASES.map((c) => ({
      path: path.join(dir, c.file),
      format: c.file.endsWith('.csv') ? 'csv' : c.file.endsWith('.jsonl') ? 'jsonl' : 'json',
      codec: c.codec,
      ...(c.delimiter ? { delimiter: c.delimiter } : {}),
    }));
    expected = readWithPython(specs);
  });

  it.each(CASES.map((c, index) => [c.name, index] as const))('%s', async (_name, index) => {
    const c = CASES[index] as Case;
    const python = expected[index] as PythonResult;
    if (!('records' in python)) throw new Error(`Python could not decode ${c.file}`);
    const result = await readRecordsFile(path.join(dir, c.file), c.options);
    expect(result.errors).toEqual([]);
    expect(result.encoding).toBe(c.encoding);
    expect(result.delimiter).toBe(c.separator);
    expect(result.records.length).toBeGreaterThan(0);
    expect(numbersAsText(result.records)).toEqual(python.records);
    // What is sent is what was written: the JSON text of each record keeps every number's digits.
    if (!c.file.endsWith('.csv'))
      expect(JSON.parse(JSON.stringify(numbersAsText(result.records)))).toEqual(python.records);
  });

  it('keeps big integers on the wire as written', async () => {
    const result = await readRecordsFile(path.join(dir, 'numbers.jsonl'));
    expect(JSON.stringify(result.records[0])).toBe(
      '{"data":{"id":12345678901234567890,"n":-9007199254740993}}',
    );
  });

  it('refuses Windows-1252 read as UTF-8, at the line and byte offset Python’s decoder names, with the fix', async () => {
    const file = path.join(dir, 'excel-1252.csv');
    const [python] = readWithPython([{ path: file, format: 'csv', codec: 'utf-8', delimiter: ';' }]);
    if (!python || !('decodeError' in python)) throw new Error('Python decoded Windows-1252 as UTF-8');
    const result = await readRecordsFile(file);
    expect(result.records).toEqual([]);
    expect(result.errors).toEqual([
      {
        line: python.decodeError.line,
        message: `the file is not valid UTF-8 (byte 0xE8 at byte offset ${python.decodeError.start}): save it as CSV UTF-8, or pass --encoding windows-1252`,
      },
    ]);
  });

  it('finds the first bad byte of a large file past the first read buffer, line and offset as Python says', async () => {
    const file = path.join(dir, 'late-bad-byte.csv');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(tenThousand, 'utf8'), windows1252('\r\nlast é,x,y,z\r\n')]),
    );
    const [python] = readWithPython([{ path: file, format: 'csv', codec: 'utf-8', delimiter: ',' }]);
    if (!python || !('decodeError' in python)) throw new Error('Python decoded the file');
    const result = await readRecordsFile(file);
    expect(result.errors[0]?.line).toBe(python.decodeError.line);
    expect(result.errors[0]?.message).toContain(`at byte offset ${python.decodeError.start}`);
  });
});

describe('the records reader: separators and encodings by choice', () => {
  it('uses --delimiter over the header, and says which one was used', async () => {
    const file = path.join(dir, 'forced.csv');
    writeFileSync(file, 'a;b;c,d\n1;2;3,4\n');
    const detected = await readRecordsFile(file);
    expect(detected.delimiter).toBe('semicolon');
    expect(detected.delimiterSource).toBe('detected');
    expect(detected.records[0]).toEqual({ data: { a: '1', b: '2', 'c,d': '3,4' } });
    const forced = await readRecordsFile(file, { delimiter: 'comma' });
    expect(forced.delimiterSource).toBe('given');
    expect(forced.records[0]).toEqual({ data: { 'a;b;c': '1;2;3', d: '4' } });
  });

  it('refuses an encoding Node does not know, naming it', async () => {
    const file = path.join(dir, 'any.csv');
    writeFileSync(file, 'a\n1\n');
    const result = await readRecordsFile(file, { encoding: 'klingon-8' });
    expect(result.errors[0]?.message).toMatch(/^unknown encoding "klingon-8"/);
  });

  it('lets a byte-order mark win over a given encoding', async () => {
    const file = path.join(dir, 'bom-wins.csv');
    writeFileSync(file, Buffer.from('\uFEFFtext\nZoë\n', 'utf16le'));
    const result = await readRecordsFile(file, { encoding: 'windows-1252' });
    expect(result.encoding).toBe('utf-16le');
    expect(result.encodingSource).toBe('bom');
    expect(result.records).toEqual([{ data: { text: 'Zoë' } }]);
  });
});

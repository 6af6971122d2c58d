/**
 * Input records for workflows that are not asset based (the tutorial's "Uploading input records for non-Asset-based
 * workflows"): a JSON array, JSONL or CSV file of `{data, metadata}` records, read and validated whole before a
 * single record is sent, with every problem tied to the line it is on. JSONL and CSV are streamed line by line.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ImportRecord } from '../../../common/alegion.ts';
import { readCsvRows } from './csv-rows.ts';
import { describeFsError } from './fs-errors.ts';

/** A problem in a records file; `line` is 1-based, or 0 for the file as a whole. */
export interface RecordsFileError {
  line: number;
  message: string;
}

/** Formats of records files. */
export type RecordsFileFormat = 'json' | 'jsonl' | 'csv';

/** What a records file holds. Anything in `errors` means: send nothing. */
export interface RecordsFileResult {
  records: ImportRecord[];
  errors: RecordsFileError[];
  /** The line each record starts on, parallel to `records` (for messages and stable per-record ids). */
  lines: number[];
  format?: RecordsFileFormat;
}

/** Errors listed before the rest are only counted, so a wholly wrong file gives a readable answer. */
export const MAX_LISTED_ERRORS = 100;

/** The CSV column that becomes a record's `metadata` instead of a data field. */
const METADATA_COLUMN = 'metadata';

/** Collects records and errors, keeping the error list short. */
class Collector {
  readonly records: ImportRecord[] = [];
  readonly lines: number[] = [];
  readonly errors: RecordsFileError[] = [];
  private unlisted = 0;
  private firstUnlistedLine = 0;

  add(line: number, value: unknown): void {
    const checked = validateRecord(value);
    if (typeof checked === 'string') this.error(line, checked);
    else {
      this.records.push(checked);
      this.lines.push(line);
    }
  }

  error(line: number, message: string): void {
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ line, message });
    else if (this.unlisted++ === 0) this.firstUnlistedLine = line;
  }

  result(format: RecordsFileFormat): RecordsFileResult {
    if (this.unlisted > 0)
      this.errors.push({
        line: this.firstUnlistedLine,
        message: `${this.unlisted} more errors from this line on are not listed`,
      });
    if (this.records.length === 0 && this.errors.length === 0)
      this.errors.push({ line: 0, message: 'the file holds no records' });
    return { records: this.records, errors: this.errors, lines: this.lines, format };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/** Checks one record against the tutorial's rules; returns the record, or why it is invalid. */
export function validateRecord(value: unknown): ImportRecord | string {
  if (!isPlainObject(value))
    return `a record must be an object like {"data": {...}, "metadata": "..."}, not ${describeType(value)}`;
  const { data, metadata } = value;
  if (data === undefined) return 'the record has no "data" object';
  if (!isPlainObject(data))
    return `"data" must be an object of field names and values, not ${describeType(data)}`;
  if (Object.hasOwn(data, 'metadata'))
    return '"metadata" is inside "data"; it is reserved and must be a sibling of "data"';
  if (Object.keys(data).length === 0) return '"data" has no fields';
  const extra = Object.keys(value).filter((key) => key !== 'data' && key !== 'metadata');
  if (extra.length > 0)
    return `unknown field ${extra.map((key) => `"${key}"`).join(', ')} next to "data" (a record has only "data" and "metadata")`;
  if (metadata !== undefined && typeof metadata !== 'string')
    return `"metadata" must be a string, not ${describeType(metadata)}`;
  return metadata === undefined ? { data } : { data, metadata };
}

/** Reads a JSON array, JSONL or CSV file of input records ({data, metadata}); CSV columns become data fields (a `metadata` column becomes metadata). Validates everything before anything is sent: metadata must be a string and a sibling of data; errors name the line. Streams JSONL/CSV (do not load a 100k-line file into one string if avoidable). */
export async function readRecordsFile(filePath: string): Promise<RecordsFileResult> {
  const ext = path.extname(filePath).slice(1).toLowerCase();
  try {
    if (ext === 'csv') return await readCsv(filePath);
    if (ext === 'jsonl' || ext === 'ndjson') return await readJsonLines(filePath);
    if (ext === 'json')
      return (await startsWithBracket(filePath))
        ? await readJsonArray(filePath)
        : await readJsonLines(filePath);
  } catch (error) {
    return {
      records: [],
      lines: [],
      errors: [{ line: 0, message: `cannot read the records file: ${describeFsError(error)}` }],
    };
  }
  const what = ext ? `.${ext}` : 'a file without extension';
  return {
    records: [],
    lines: [],
    errors: [{ line: 0, message: `unsupported records file type (${what}): use .json, .jsonl or .csv` }],
  };
}

/** A `.json` file is a JSON array when its first non-blank character is `[`; otherwise it is read as JSON lines. */
async function startsWithBracket(filePath: string): Promise<boolean> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return text.trimStart().startsWith('[');
  } finally {
    await handle.close();
  }
}

async function readJsonLines(filePath: string): Promise<RecordsFileResult> {
  const collector = new Collector();
  const lines = createInterface({
    input: createReadStream(filePath, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const text = (lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      collector.error(lineNumber, `not valid JSON: ${shortJsonMessage(error, true)}`);
      continue;
    }
    collector.add(lineNumber, value);
  }
  return collector.result('jsonl');
}

/** A JSON array has to be parsed whole; only its element positions are scanned separately, to name lines. */
async function readJsonArray(filePath: string): Promise<RecordsFileResult> {
  const collector = new Collector();
  const text = (await readFile(filePath, 'utf8')).replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    collector.error(jsonErrorLine(error, text), `not valid JSON: ${shortJsonMessage(error)}`);
    return collector.result('json');
  }
  if (!Array.isArray(parsed)) {
    collector.error(1, `the file must hold a JSON array of records, not ${describeType(parsed)}`);
    return collector.result('json');
  }
  const starts = elementStartLines(text);
  parsed.forEach((value: unknown, index) => collector.add(starts[index] ?? 1, value));
  return collector.result('json');
}

/** The 1-based line on which each element of a top-level JSON array starts. */
export function elementStartLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === 92) escaped = true;
      else if (ch === 34) inString = false;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13) continue;
    if (depth === 1 && expectElement && ch !== 44 && ch !== 93) {
      starts.push(line);
      expectElement = false;
    }
    if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === 93 || ch === 125) depth--;
    else if (ch === 44 && depth === 1) expectElement = true;
  }
  return starts;
}

/** V8's JSON.parse message without its position suffix; within one JSONL line, the position becomes a column. */
function shortJsonMessage(error: unknown, singleLine = false): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(
    /\s*\(line \d+ column \d+\)$/,
    '',
  );
  return singleLine
    ? message.replace(/at position (\d+)/, (_, position: string) => `at column ${Number(position) + 1}`)
    : message;
}

/** The line a JSON.parse error points at: V8 says "(line L column C)" or "at position P". */
function jsonErrorLine(error: unknown, text: string): number {
  const message = error instanceof Error ? error.message : '';
  const lineMatch = /line (\d+) column \d+/.exec(message);
  if (lineMatch) return Number(lineMatch[1]);
  const positionMatch = /position (\d+)/.exec(message);
  if (positionMatch) return text.slice(0, Number(positionMatch[1])).split('\n').length;
  return 1;
}

async function readCsv(filePath: string): Promise<RecordsFileResult> {
  const collector = new Collector();
  let header: string[] | null = null;
  let metadataIndex = -1;
  for await (const rows of readCsvRows(createReadStream(filePath))) {
    for (const row of rows) {
      if (header === null) {
        const problem = row.problem ?? checkHeader(row.fields);
        if (problem) {
          collector.error(row.line, problem);
          return collector.result('csv');
        }
        header = row.fields.map((name) => name.trim());
        metadataIndex = header.indexOf(METADATA_COLUMN);
        continue;
      }
      if (row.fields.length === 1 && row.fields[0] === '') continue; // blank line
      if (row.problem) {
        collector.error(row.line, row.problem);
        continue;
      }
      if (row.fields.length !== header.length) {
        collector.error(
          row.line,
          `the row has ${row.fields.length} columns but the header has ${header.length}`,
        );
        continue;
      }
      const data: Record<string, string> = {};
      let metadata: string | undefined;
      header.forEach((name, index) => {
        const cell = row.fields[index] as string;
        if (index === metadataIndex) metadata = cell === '' ? undefined : cell;
        else data[name] = cell;
      });
      collector.add(row.line, metadata === undefined ? { data } : { data, metadata });
    }
  }
  if (header === null)
    collector.error(0, 'the file is empty: a CSV records file starts with a header row of field names');
  return collector.result('csv');
}

/** Why a CSV header row cannot name data fields, or null when it can. */
function checkHeader(fields: readonly string[]): string | null {
  const names = fields.map((name) => name.trim());
  const blank = names.findIndex((name) => name === '');
  if (blank >= 0)
    return `the header row has an empty column name (column ${blank + 1}); the first row must name the data fields`;
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) return `the header row names the column "${duplicate}" twice`;
  if (names.every((name) => name === METADATA_COLUMN))
    return 'the header row has no data columns besides "metadata"';
  return null;
}

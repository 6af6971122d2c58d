/**
 * What reading a records file produces, whatever its format: the valid records with the line each starts on, and
 * the problems, each tied to its line (the list kept short so a wholly wrong file still gives a readable answer).
 */
import type { ImportRecord } from '../../../common/alegion.ts';
import type { RecordsDelimiter } from '../../../common/api.ts';
import { isExactNumber } from '../../../common/exact-json.ts';

/** A problem in a records file; `line` is 1-based, or 0 for the file as a whole. */
interface RecordsFileError {
  line: number;
  message: string;
}

/** Formats of records files. */
type RecordsFileFormat = 'json' | 'jsonl' | 'csv';

/** The CSV field separators the reader knows, by name. */
export type CsvDelimiterName = RecordsDelimiter;

/** What a records file holds. Anything in `errors` means: send nothing. */
export interface RecordsFileResult {
  records: ImportRecord[];
  errors: RecordsFileError[];
  /** The line each record starts on, parallel to `records` (for messages). */
  lines: number[];
  format?: RecordsFileFormat;
  /** The WHATWG name of the encoding the file was read in. */
  encoding?: string;
  /** How the encoding was chosen: a byte-order mark, the user's choice, or the UTF-8 default. */
  encodingSource?: 'bom' | 'given' | 'default';
  /** CSV only: the field separator used, and whether it was detected from the header or given. */
  delimiter?: CsvDelimiterName;
  delimiterSource?: 'detected' | 'given';
}

/** Errors listed before the rest are only counted, so a wholly wrong file gives a readable answer. */
export const MAX_LISTED_ERRORS = 100;

/** Collects records and errors, keeping the error list short. */
export class RecordsCollector {
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
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isExactNumber(value);
}

/** How a JSON value is named in messages: "a number", "an array", "null"... */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isExactNumber(value)) return 'a number';
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

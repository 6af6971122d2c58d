/**
 * Input records for workflows that are not asset based (the tutorial's "Uploading input records for non-Asset-based
 * workflows"): a JSON array, JSONL or CSV file of `{data, metadata}` records, read and validated whole before a
 * single record is sent, with every problem tied to the line it is on. The text is decoded strictly
 * (records-text.ts); JSONL and CSV are streamed, a JSON array is parsed whole.
 */
import path from 'node:path';
import { readCsvText } from './records-csv.ts';
import type { CsvDelimiterName, RecordsFileResult } from './records-collector.ts';
import { describeFsError } from './fs-errors.ts';
import { looksLikeJsonArray, readJsonArrayText, readJsonLinesText } from './records-json.ts';
import { decodeFile, RecordsTextError } from './records-text.ts';
import type { TextEncodingUsed } from './records-text.ts';

export type { RecordsFileResult } from './records-collector.ts';
export { MAX_LISTED_ERRORS, validateRecord } from './records-collector.ts';
export { elementStartLines } from './records-json.ts';

/** How to read a records file: the encoding (a WHATWG label; a byte-order mark wins) and the CSV separator. */
export interface RecordsReadOptions {
  encoding?: string;
  delimiter?: CsvDelimiterName;
}

function failure(message: string, line = 0): RecordsFileResult {
  return { records: [], lines: [], errors: [{ line, message }] };
}

/** Reads a JSON array, JSONL or CSV file of input records ({data, metadata}); CSV columns become data fields (a `metadata` column becomes metadata). Validates everything before anything is sent: metadata must be a string and a sibling of data; errors name the line. */
export async function readRecordsFile(
  filePath: string,
  options: RecordsReadOptions = {},
): Promise<RecordsFileResult> {
  const ext = path.extname(filePath).slice(1).toLowerCase();
  if (!['csv', 'tsv', 'jsonl', 'ndjson', 'json'].includes(ext)) {
    const what = ext ? `.${ext}` : 'a file without extension';
    return failure(`unsupported records file type (${what}): use .json, .jsonl or .csv`);
  }
  let used: TextEncodingUsed = { encoding: 'utf-8', fromBom: false };
  const chunks = decodeFile(filePath, options.encoding, (encoding) => (used = encoding));
  try {
    const result = await readByFormat(ext, chunks, options);
    return {
      ...result,
      encoding: used.encoding,
      encodingSource: used.fromBom ? 'bom' : options.encoding ? 'given' : 'default',
    };
  } catch (error) {
    if (error instanceof RecordsTextError) return failure(error.message, error.line);
    return failure(`cannot read the records file: ${describeFsError(error)}`);
  }
}

async function readByFormat(
  ext: string,
  chunks: AsyncGenerator<string>,
  options: RecordsReadOptions,
): Promise<RecordsFileResult> {
  if (ext === 'csv') return readCsvText(chunks, options.delimiter);
  if (ext === 'tsv') return readCsvText(chunks, options.delimiter ?? 'tab');
  if (ext === 'jsonl' || ext === 'ndjson') return readJsonLinesText(chunks);
  // A `.json` file is a JSON array when its first non-blank character is `[`; otherwise it is JSON lines.
  const first = await chunks.next();
  const head = first.done ? '' : first.value;
  async function* again(): AsyncGenerator<string> {
    yield head;
    yield* chunks;
  }
  if (!looksLikeJsonArray(head)) return readJsonLinesText(again());
  let text = '';
  for await (const part of again()) text += part;
  return readJsonArrayText(text);
}

/**
 * CSV records files, parsed by csv-parse as the decoded text streams in. The field separator is the one of comma,
 * semicolon and tab that the header line holds most of (Excel writes semicolons in most European locales), unless
 * the user names one. Each column becomes a data field; a `metadata` column becomes the record's metadata.
 */
import { once } from 'node:events';
import { CsvError, parse } from 'csv-parse';
import type { CsvDelimiterName, RecordsFileResult } from './records-collector.ts';
import { RecordsCollector } from './records-collector.ts';

/** The CSV column that becomes a record's `metadata` instead of a data field. */
const METADATA_COLUMN = 'metadata';

/** Separator characters by name. */
const CSV_DELIMITERS: Record<CsvDelimiterName, string> = { comma: ',', semicolon: ';', tab: '\t' };

/** The separator name for a `--delimiter` value: a name or the character itself. */
export function delimiterByName(value: string): CsvDelimiterName | null {
  const lowered = value.toLowerCase();
  for (const [name, char] of Object.entries(CSV_DELIMITERS) as [CsvDelimiterName, string][]) {
    if (lowered === name || value === char || (name === 'tab' && value === '\\t')) return name;
  }
  return null;
}

/** The separator the header line holds most of, outside quotes (comma when none or a tie with comma). */
function detectDelimiter(headerLine: string): CsvDelimiterName {
  const counts: Record<CsvDelimiterName, number> = { comma: 0, semicolon: 0, tab: 0 };
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (ch === ',') counts.comma++;
      else if (ch === ';') counts.semicolon++;
      else if (ch === '\t') counts.tab++;
    }
  }
  let best: CsvDelimiterName = 'comma';
  for (const name of ['semicolon', 'tab'] as const) if (counts[name] > counts[best]) best = name;
  return best;
}

/** Text up to the first line break outside quotes, or null when the chunks so far hold none. */
function firstLine(text: string): string | null {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) return text.slice(0, i);
  }
  return null;
}

const LINE_BREAKS = /\r\n|\r|\n/g;

function lineBreaksIn(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) count += field.match(LINE_BREAKS)?.length ?? 0;
  return count;
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

/** Plain words for csv-parse's syntax errors. */
function describeCsvError(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is never closed (missing ")';
  if (
    error.code === 'CSV_INVALID_CLOSING_QUOTE' ||
    error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
  )
    return 'text after the closing quote of a quoted field (a quote inside a quoted field is written "")';
  if (error.code === 'INVALID_OPENING_QUOTE') return 'a quote in the middle of an unquoted field';
  return error.message;
}

/** Reads a CSV records file from decoded text chunks; `delimiter` forces the separator. */
export async function readCsvText(
  chunks: AsyncIterable<string>,
  delimiter: CsvDelimiterName | undefined,
): Promise<RecordsFileResult> {
  const collector = new RecordsCollector();
  const iterator = chunks[Symbol.asyncIterator]();
  let head = '';
  let line: string | null = null;
  let ended = false;
  while (line === null && !ended) {
    const next = await iterator.next();
    if (next.done) ended = true;
    else head += next.value;
    line = firstLine(head);
  }
  const used = delimiter ?? detectDelimiter(line ?? head);
  const finish = (): RecordsFileResult => ({
    ...collector.result('csv'),
    delimiter: used,
    delimiterSource: delimiter ? 'given' : 'detected',
  });
  if (head.trim() === '') {
    collector.error(0, 'the file is empty: a CSV records file starts with a header row of field names');
    return finish();
  }
  async function* text(): AsyncGenerator<string> {
    try {
      yield head;
      if (ended) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.(undefined); // closes the file when reading stops early
    }
  }
  const stopFeeding = new AbortController();
  const parser = parse({
    delimiter: CSV_DELIMITERS[used],
    relax_column_count: true,
    relax_quotes: true, // a quote inside an unquoted field is text, as Python's csv and Excel read it
    skip_empty_lines: true,
    info: true,
  });
  // Fed by hand rather than piped, so a decoding error reaches the loop below instead of stalling it.
  void (async () => {
    try {
      for await (const part of text())
        if (!parser.write(part)) await once(parser, 'drain', { signal: stopFeeding.signal });
      parser.end();
    } catch (error) {
      if (!stopFeeding.signal.aborted) parser.destroy(error as Error);
    }
  })();
  let header: string[] | null = null;
  let metadataIndex = -1;
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const start = info.lines - lineBreaksIn(record);
      lastLine = info.lines;
      if (header === null) {
        const problem = checkHeader(record);
        if (problem) {
          collector.error(start, problem);
          parser.destroy();
          return finish();
        }
        header = record.map((name) => name.trim());
        metadataIndex = header.indexOf(METADATA_COLUMN);
        continue;
      }
      if (record.length !== header.length) {
        collector.error(start, `the row has ${record.length} columns but the header has ${header.length}`);
        continue;
      }
      const data: Record<string, string> = {};
      let metadata: string | undefined;
      header.forEach((name, index) => {
        const cell = record[index] as string;
        if (index === metadataIndex) metadata = cell === '' ? undefined : cell;
        else data[name] = cell;
      });
      collector.add(start, metadata === undefined ? { data } : { data, metadata });
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // csv-parse cannot find its feet again after a syntax error: report it and stop.
    const at = error.code === 'CSV_QUOTE_NOT_CLOSED' ? lastLine + 1 : Number(error.lines ?? lastLine + 1);
    collector.error(at, describeCsvError(error));
  } finally {
    stopFeeding.abort();
  }
  return finish();
}

/**
 * A streaming CSV reader (RFC 4180: comma separated, double-quoted fields with "" for a quote, quoted fields may
 * hold commas and line breaks, CRLF or LF line ends). Rows come out as they complete, each with the line it
 * started on, so a large file is never held as one string and errors can name the line.
 */
import type { Readable } from 'node:stream';

/** One parsed row: its fields and the 1-based line it starts on; `problem` when the row is malformed. */
export interface CsvRow {
  line: number;
  fields: string[];
  problem?: string;
}

/** Parses CSV text from a stream of UTF-8 chunks; yields completed rows in batches. */
export async function* readCsvRows(input: Readable): AsyncGenerator<CsvRow[]> {
  input.setEncoding('utf8');
  let line = 1;
  let rowLine = 1;
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let quotePending = false; // a quote inside a quoted field: either the first of "" or the closing quote
  let fieldWasQuoted = false;
  let afterCr = false;
  let problem: string | undefined;
  let first = true;
  let out: CsvRow[] = [];

  const endRow = (): void => {
    fields.push(field);
    const row: CsvRow = { line: rowLine, fields };
    if (problem) row.problem = problem;
    out.push(row);
    field = '';
    fields = [];
    fieldWasQuoted = false;
    problem = undefined;
  };

  for await (const chunk of input as AsyncIterable<string>) {
    let text = chunk;
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (afterCr) {
        afterCr = false;
        if (ch === '\n') continue;
      }
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (ch === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // the pending quote closed the field; handle ch as unquoted below
        } else if (ch === '"') {
          quotePending = true;
          continue;
        } else {
          if (ch === '\n') line++;
          field += ch;
          continue;
        }
      }
      if (ch === ',') {
        fields.push(field);
        field = '';
        fieldWasQuoted = false;
      } else if (ch === '\n' || ch === '\r') {
        endRow();
        line++;
        rowLine = line;
        afterCr = ch === '\r';
      } else if (ch === '"' && field === '' && !fieldWasQuoted) {
        inQuotes = true;
        fieldWasQuoted = true;
      } else {
        if (fieldWasQuoted) problem ??= 'text after the closing quote of a quoted field';
        field += ch;
      }
    }
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  if (inQuotes && !quotePending) {
    problem ??= 'a quoted field is never closed (missing ")';
    endRow();
  } else if (field !== '' || fields.length > 0 || fieldWasQuoted) {
    endRow();
  }
  if (out.length > 0) yield out;
}

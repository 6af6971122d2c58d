/**
 * JSON records files: a JSON array (parsed whole, its elements' lines found by a scan), or JSON lines (one record a
 * line, streamed). Numbers are kept exactly as written (see common/exact-json.ts). JSON lines are split on `\n`
 * (and `\r\n`) only: U+2028 and U+2029 are legal inside JSON strings, and `json.dumps(..., ensure_ascii=False)`
 * writes them raw.
 */
import { parseExactJson } from '../../../common/exact-json.ts';
import type { RecordsFileResult } from './records-collector.ts';
import { describeType, RecordsCollector } from './records-collector.ts';

/** Reads JSON lines from decoded text chunks. */
export async function readJsonLinesText(chunks: AsyncIterable<string>): Promise<RecordsFileResult> {
  const collector = new RecordsCollector();
  let lineNumber = 0;
  const take = (raw: string): void => {
    lineNumber++;
    const text = raw.trim();
    if (text === '') return;
    let value: unknown;
    try {
      value = parseExactJson(text);
    } catch (error) {
      collector.error(lineNumber, `not valid JSON: ${shortJsonMessage(error, true)}`);
      return;
    }
    collector.add(lineNumber, value);
  };
  let rest = '';
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) take(part);
  }
  if (rest !== '') take(rest);
  return collector.result('jsonl');
}

/** Reads a JSON array of records from the file's whole text. */
export function readJsonArrayText(text: string): RecordsFileResult {
  const collector = new RecordsCollector();
  let parsed: unknown;
  try {
    parsed = parseExactJson(text);
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

/** True when a `.json` file's text (its first few KB will do) is a JSON array rather than JSON lines. */
export function looksLikeJsonArray(head: string): boolean {
  return head.trimStart().startsWith('[');
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

/**
 * What the `upload --records` command says about the file before the upload starts: how it was read (format,
 * encoding, separator) and which rows were left out because they were imported into the batch before.
 */
import type { AddRecordsResult } from '../../../common/api.ts';

const SEPARATOR_WORDS = { comma: 'comma', semicolon: 'semicolon', tab: 'tab' } as const;

/** A count with thousands separators, as the platform's own pages write them. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A journal time as `YYYY-MM-DD HH:MM UTC`. */
function importDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The lines shown after a records file was read and queued. */
export function recordsReportLines(file: string, added: AddRecordsResult): string[] {
  const how = [added.format ?? 'records', added.encoding ?? 'utf-8'];
  if (added.delimiter) how.push(`${SEPARATOR_WORDS[added.delimiter]}-separated`);
  const lines = [`read ${count(added.rows)} records from ${file} (${how.join(', ')})`];
  if (added.alreadyImported > 0)
    lines.push(
      `already imported on ${importDate(added.alreadyImportedAt ?? 0)}: ${count(added.alreadyImported)} records (--reimport sends them again)`,
    );
  if (added.queued > 0 || added.alreadyQueued > 0 || added.alreadyImported === 0)
    lines.push(
      `queued ${count(added.queued)} records${added.alreadyQueued ? `, ${count(added.alreadyQueued)} already in the queue` : ''}`,
    );
  return lines;
}

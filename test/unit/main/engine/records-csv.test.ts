/**
 * "Save as CSV" of the exception and canceled list: Python's csv module reads back exactly the records the list
 * shows, in its order, awkward text (commas, quotes, line breaks, non-ASCII) included; the saved file never
 * overwrites one already there.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordView } from '../../../../common/api.ts';
import { arrangeRecords, RecordListOrder } from '../../../../common/record-list.ts';
import { RECORD_CSV_COLUMNS, recordsCsv } from '../../../../main/engine/records-csv.ts';
import { createSavedFiles, safeFileName } from '../../../../main/engine/saved-files.ts';
import { pythonMissing } from '../../../support/python-records.ts';

if (pythonMissing) console.log(`skipping the Python reading of the CSV: ${pythonMissing}`);

/** Python's csv.DictReader over each text, in one run (a process per text is slow on a busy machine). */
function pythonRows(texts: string[]): Record<string, string>[][] {
  const script =
    'import csv, io, json, sys\n' +
    'print(json.dumps([list(csv.DictReader(io.StringIO(t, newline=""))) for t in json.load(sys.stdin)]))';
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, string>[][];
}

const awkward = fc.string({
  unit: fc.constantFrom('a', 'Z', ',', '"', '\n', '\r\n', ' ', 'é', '名', ';', '='),
});
const recordArb = fc.record({
  id: fc.uuid(),
  status: fc.constantFrom('exception', 'canceled'),
  metadata: fc.option(awkward, { nil: null }),
  assetId: fc.option(fc.uuid(), { nil: null }),
  createdAt: fc
    .date({ min: new Date('2026-01-01'), max: new Date('2026-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fileName: fc.option(awkward, { nil: null }),
  folder: fc.option(awkward, { nil: null }),
  reason: fc.option(awkward, { nil: null }),
}) as fc.Arbitrary<RecordView>;

describe('records CSV', () => {
  it.skipIf(pythonMissing !== null)('reads back in Python as the list shows it, in its order', () => {
    const cases = fc.sample(
      fc.record({
        records: fc.array(recordArb, { maxLength: 12 }),
        sort: fc.constantFrom('file', 'status', 'createdAt'),
        direction: fc.constantFrom('ascending', 'descending'),
      }),
      { numRuns: 60, seed: 16 },
    );
    const made = cases.map(({ records, sort, direction }) => {
      const order = RecordListOrder.parse({ sort, direction });
      return { csv: recordsCsv(records, order), shown: arrangeRecords(records, order) };
    });
    const read = pythonRows(made.map((m) => m.csv.text));
    for (const [n, { csv, shown }] of made.entries()) {
      const rows = read[n] ?? [];
      expect(csv.rows).toBe(shown.length);
      expect(rows.map((row) => row.record_id)).toEqual(shown.map((r) => r.id));
      for (const [i, r] of shown.entries()) {
        expect(Object.keys(rows[i] ?? {})).toEqual([...RECORD_CSV_COLUMNS]);
        expect(rows[i]?.file).toBe(r.fileName ?? '');
        expect(rows[i]?.folder).toBe(r.folder ?? '');
        expect(rows[i]?.metadata).toBe(r.metadata ?? '');
        expect(rows[i]?.reason).toBe(r.reason ?? '');
        expect(rows[i]?.status).toBe(r.status);
        expect(rows[i]?.asset_id).toBe(r.assetId ?? '');
        expect(rows[i]?.created_at).toBe(r.createdAt);
      }
    }
  });

  it('keeps the chosen statuses and the text filter', () => {
    const base = { metadata: null, assetId: null, createdAt: '2026-01-01T00:00:00Z' };
    const records: RecordView[] = [
      { ...base, id: '1', status: 'exception', fileName: 'shelf-001.png' },
      { ...base, id: '2', status: 'canceled', fileName: 'shelf-002.png' },
      { ...base, id: '3', status: 'canceled', fileName: 'aisle-003.png' },
    ];
    const canceled = RecordListOrder.parse({ statuses: ['canceled'] });
    expect(arrangeRecords(records, canceled).map((r) => r.id)).toEqual(['2', '3']);
    const shelf = RecordListOrder.parse({ text: 'SHELF', sort: 'file', direction: 'descending' });
    expect(arrangeRecords(records, shelf).map((r) => r.id)).toEqual(['2', '1']);
    expect(recordsCsv(records, canceled).rows).toBe(2);
  });
});

describe('saved files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'saved-files-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('never overwrites a file already there, and registers each by its own id', async () => {
    const files = createSavedFiles(() => ({ link: (id) => `/download/${id}` }));
    const first = await files.write(dir, 'list.csv', 'one', 1);
    const second = await files.write(dir, 'list.csv', 'two', 2);
    expect(second.name).toBe('list (2).csv');
    expect(await readFile(first.path, 'utf8')).toBe('one');
    expect(await readFile(second.path, 'utf8')).toBe('two');
    expect(first.href).toBe(`/download/${first.id}`);
    expect(files.find(second.id)).toEqual({ path: second.path, name: 'list (2).csv' });
    expect(files.find('not-an-id')).toBeNull();
    expect(createSavedFiles(() => null).offer(first.path).href).toBeNull();
  });

  it('makes a file name of any batch name', () => {
    expect(safeFileName('Shelf: June/July "A"')).toBe('Shelf- June-July -A-');
    expect(safeFileName('..')).toBe('batch');
    expect(safeFileName('a\u0000b\tc')).toBe('abc');
  });
});

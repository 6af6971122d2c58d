/**
 * Input records exactly once, and exactly as written, proved from the sandbox's side: reruns, appended rows,
 * `--reimport`, SIGKILL at each phase of an import, and the metadata and numbers that arrive.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { sandboxAuthHeaders, useSandbox } from '../../support/sandbox.ts';
import { runCli, runCliAndKill, sandboxClient, sandboxEnv, tempDir } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 12 });
const IMPORT_ROUTE = 'POST /v1/batches/:batchId/records/import';
const BATCH_ROUTE = 'POST /v1/workflows/:workflowId/batches';
const WORKFLOW = SANDBOX_WORKFLOWS.records;

let client: ReturnType<typeof sandboxClient> | undefined;
afterAll(() => client?.close());

function api(): ReturnType<typeof sandboxClient> {
  client ??= sandboxClient(sandbox());
  return client;
}

function writeLines(rows: readonly object[], name = 'records.jsonl'): string {
  const path = join(tempDir('records-'), name);
  writeFileSync(path, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  return path;
}

function uploadArgs(file: string, batch: string, stateDir: string, ...extra: string[]): string[] {
  return [
    'upload',
    '--records',
    file,
    '--workflow',
    WORKFLOW,
    '--new-batch',
    batch,
    '--state-dir',
    stateDir,
    ...extra,
  ];
}

async function batchIdNamed(name: string): Promise<string> {
  for await (const batch of api().listBatches(WORKFLOW, { pageSize: 100 }))
    if (batch.name === name) return batch.id;
  throw new Error(`no batch named ${name}`);
}

/** Every record of a batch as the platform lists it. */
async function listed(name: string): Promise<{ data: unknown; metadata?: string | null }[]> {
  const records = [];
  for await (const record of api().listRecords(await batchIdNamed(name), { pageSize: 1000 }))
    records.push(record);
  return records;
}

function posts(): number {
  return sandbox().stats().requestsByRoute[IMPORT_ROUTE] ?? 0;
}

/** The rows as a sorted list of `data|metadata` texts, to compare a batch with its file as multisets. */
function multiset(rows: readonly { data: unknown; metadata?: string | null }[]): string[] {
  return rows.map((row) => `${JSON.stringify(row.data)}|${row.metadata ?? '<none>'}`).sort();
}

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await runCli(args, sandboxEnv(sandbox()));
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe('upload --records, exactly once', () => {
  it('three runs of the same file leave exactly its rows; identical rows stay two; reruns send nothing and say so', async () => {
    const rows = [
      { data: { text: 'one' }, metadata: 'r1' },
      { data: { text: 'two' } },
      { data: { text: 'two' } },
      { data: { text: 'three' }, metadata: 'r3' },
    ];
    const file = writeLines(rows);
    const stateDir = tempDir('state-');
    const duplicatesBefore = sandbox().stats().duplicateImportRecords;
    const first = await run(uploadArgs(file, 'reruns', stateDir));
    expect(first.stdout).toContain('read 4 records from');
    const postsAfterFirst = posts();
    for (let i = 0; i < 2; i++) {
      const again = await run(uploadArgs(file, 'reruns', stateDir));
      expect(again.stdout).toMatch(/already imported on \d{4}-\d\d-\d\d \d\d:\d\d UTC: 4 records/);
    }
    expect(posts()).toBe(postsAfterFirst);
    const batch = await listed('reruns');
    expect(batch).toHaveLength(4);
    expect(multiset(batch)).toEqual(multiset(rows));
    // The file's own two identical rows are the only duplicate the batch holds.
    expect(sandbox().stats().duplicateImportRecords - duplicatesBefore).toBe(1);
  });

  it('imports only the rows appended since, and --reimport sends them all again on purpose', async () => {
    const file = writeLines([{ data: { n: '1' } }, { data: { n: '2' } }, { data: { n: '2' } }]);
    const stateDir = tempDir('state-');
    await run(uploadArgs(file, 'appended', stateDir));
    appendFileSync(
      file,
      `${JSON.stringify({ data: { n: '2' } })}\n${JSON.stringify({ data: { n: '4' } })}\n`,
    );
    const postsBefore = posts();
    const appended = await run(uploadArgs(file, 'appended', stateDir));
    expect(appended.stdout).toMatch(/already imported on .*: 3 records/);
    expect(appended.stdout).toContain('queued 2 records');
    expect(posts() - postsBefore).toBe(1);
    expect(multiset(await listed('appended'))).toEqual(
      multiset([1, 2, 2, 2, 4].map((n) => ({ data: { n: `${n}` } }))),
    );

    const again = await run(uploadArgs(file, 'appended', stateDir, '--reimport'));
    expect(again.stdout).toContain('queued 5 records');
    expect(await listed('appended')).toHaveLength(10);
    // After the deliberate second import, a plain rerun sends nothing again.
    const postsAfterReimport = posts();
    await run(uploadArgs(file, 'appended', stateDir));
    expect(posts()).toBe(postsAfterReimport);
    expect(await listed('appended')).toHaveLength(10);
  });

  it('delivers metadata byte for byte, absent where the file has none, and numbers with every digit', async () => {
    const metadata = [
      'm1',
      '',
      '  spaced  ',
      'au:1234abcd:1:1',
      '{"uploaderId":"au:x","metadata":"y"}',
      'Zoë 東京 🎉 مرحبا',
      'line\u2028sep',
      'tab\tand\nnewline',
    ];
    const rows: { data: { i: string }; metadata?: string }[] = [
      ...metadata.map((m, i) => ({ data: { i: `${i}` }, metadata: m })),
      { data: { i: 'none' } },
    ];
    const path = join(tempDir('records-'), 'metadata.jsonl');
    writeFileSync(
      path,
      `${rows.map((row) => JSON.stringify(row)).join('\n')}\n{"data":{"i":"big","n":12345678901234567890,"f":1.50}}\n`,
    );
    await run(uploadArgs(path, 'metadata', tempDir('state-')));
    const batch = await listed('metadata');
    expect(batch).toHaveLength(rows.length + 1);
    for (const row of rows) {
      const found = batch.find((record) => (record.data as { i: string }).i === row.data.i);
      if (row.metadata === undefined) expect(found?.metadata ?? null).toBeNull();
      else expect(found?.metadata).toBe(row.metadata);
    }
    // The listing's own JSON text, not a double-parsed copy of it.
    const response = await fetch(
      `${sandbox().baseUrl}/batches/${await batchIdNamed('metadata')}/records?pageSize=100`,
      {
        headers: await sandboxAuthHeaders(sandbox()),
      },
    );
    expect(await response.text()).toContain('"data":{"i":"big","n":12345678901234567890,"f":1.50}');
  });

  it('reads a Windows-1252 semicolon CSV with --encoding, and refuses it without, naming the fix', async () => {
    const path = join(tempDir('records-'), 'excel.csv');
    const bytes = Buffer.from('text;metadata\r\nCr\xe8me br\xfbl\xe9e;r1\r\nStra\xdfe;r2\r\n', 'latin1');
    writeFileSync(path, bytes);
    const stateDir = tempDir('state-');
    const refused = await runCli(uploadArgs(path, 'excel', stateDir), sandboxEnv(sandbox()));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `line 2: the file is not valid UTF-8 (byte 0xE8 at byte offset ${bytes.indexOf(0xe8)})`,
    );
    expect(refused.stderr).toContain('pass --encoding windows-1252');
    const read = await run(uploadArgs(path, 'excel', stateDir, '--encoding', 'windows-1252'));
    expect(read.stdout).toContain('(csv, windows-1252, semicolon-separated)');
    expect(multiset(await listed('excel'))).toEqual(
      multiset([
        { data: { text: 'Crème brûlée' }, metadata: 'r1' },
        { data: { text: 'Straße' }, metadata: 'r2' },
      ]),
    );
  });
});

/** 2,500 rows, 40 of them twice (an identical row is a row of its own), with and without metadata. */
function crashRows(): { data: Record<string, string>; metadata?: string }[] {
  return Array.from({ length: 2500 }, (_, i) => {
    const n = i % 62 === 61 ? i - 1 : i;
    return n % 3 === 0
      ? { data: { text: `row ${n}` } }
      : { data: { text: `row ${n}` }, metadata: `ext-${n}` };
  });
}

const PHASES: { phase: string; killWhen: (start: { posts: number; batches: number }) => boolean }[] = [
  {
    phase: 'the batch is made, no record sent yet',
    killWhen: (s) => (sandbox().stats().requestsByRoute[BATCH_ROUTE] ?? 0) > s.batches,
  },
  { phase: 'the first chunk is posted, its answer not read', killWhen: (s) => posts() > s.posts },
  { phase: 'the second chunk is posted', killWhen: (s) => posts() > s.posts + 1 },
  { phase: 'the last chunk is posted', killWhen: (s) => posts() > s.posts + 2 },
];

describe('upload --records, killed at each phase of a 2,500-row import', () => {
  it.each(PHASES.map((p, index) => [p.phase, index] as const))(
    'SIGKILL when %s, then a rerun: exactly 2,500 records, no duplicate beyond the file’s own',
    async (_phase, index) => {
      const rows = crashRows();
      const ownDuplicates = rows.length - new Set(rows.map((row) => JSON.stringify(row))).size;
      expect(ownDuplicates).toBeGreaterThan(0);
      const file = writeLines(rows);
      const name = `crash ${index}`;
      const stateDir = tempDir('state-');
      const stats = sandbox().stats();
      const start = { posts: posts(), batches: stats.requestsByRoute[BATCH_ROUTE] ?? 0 };
      const duplicatesBefore = stats.duplicateImportRecords;
      sandbox().setFaults({ latencyMs: 300 });
      const killed = await runCliAndKill(uploadArgs(file, name, stateDir), sandboxEnv(sandbox()), () =>
        (PHASES[index] as (typeof PHASES)[number]).killWhen(start),
      );
      sandbox().setFaults({ latencyMs: 0 });
      expect(killed.killed).toBe(true);
      await run(uploadArgs(file, name, stateDir));
      const batch = await listed(name);
      expect(batch).toHaveLength(2500);
      expect(multiset(batch)).toEqual(multiset(rows));
      expect(sandbox().stats().duplicateImportRecords - duplicatesBefore).toBe(ownDuplicates);
      // And one more rerun sends nothing.
      const postsBefore = posts();
      await run(uploadArgs(file, name, stateDir));
      expect(posts()).toBe(postsBefore);
    },
  );
});

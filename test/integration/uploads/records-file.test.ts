import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, runCliAndKill, sandboxEnv, tempDir } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 7 });
const IMPORT_ROUTE = 'POST /v1/batches/:batchId/records/import';

function writeJsonl(count: number): string {
  const path = join(tempDir('records-'), 'records.jsonl');
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify(
      i % 2 === 0
        ? { data: { text: `record ${i}` }, metadata: `row-${i}` }
        : { data: { text: `record ${i}` } },
    ),
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Records across every batch of the sandbox. */
function recordCount(): number {
  const batches = Object.values(sandbox().stats().recordsByBatch);
  return batches.reduce((sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
}

describe('upload --records', () => {
  it('imports a 2,500-line JSONL file as three chunks, and a kill mid-import plus a rerun leaves exactly 2,500 records', async () => {
    const env = sandboxEnv(sandbox());
    const file = writeJsonl(2500);
    const stateDir = tempDir('state-');
    const args = [
      'upload',
      '--records',
      file,
      '--workflow',
      SANDBOX_WORKFLOWS.records,
      '--new-batch',
      'records',
      '--state-dir',
      stateDir,
      '--json',
    ];

    // Slow imports down so the kill lands while chunks are being posted.
    sandbox().setFaults({ latencyMs: 400 });
    const before = sandbox().stats().requestsByRoute[IMPORT_ROUTE] ?? 0;
    const killed = await runCliAndKill(
      args,
      env,
      () => (sandbox().stats().requestsByRoute[IMPORT_ROUTE] ?? 0) > before,
    );
    expect(killed.killed).toBe(true);
    sandbox().setFaults({ latencyMs: 0 });

    const rerun = await runCli(args, env);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout.trim().split('\n').at(-1) ?? '{}') as {
      done: number;
      event: string;
    };
    expect(summary).toMatchObject({ event: 'summary', done: 2500 });
    expect(recordCount()).toBe(2500);
    expect(sandbox().stats().duplicateRecords).toBe(0);

    // An uninterrupted import of the same size takes exactly three requests.
    const second = writeJsonl(2500);
    const postsBefore = sandbox().stats().requestsByRoute[IMPORT_ROUTE] ?? 0;
    const clean = await runCli(
      [
        'upload',
        '--records',
        second,
        '--workflow',
        SANDBOX_WORKFLOWS.records,
        '--new-batch',
        'records 2',
        '--state-dir',
        stateDir,
      ],
      env,
    );
    expect(clean.code, clean.stderr).toBe(0);
    expect((sandbox().stats().requestsByRoute[IMPORT_ROUTE] ?? 0) - postsBefore).toBe(3);
    expect(recordCount()).toBe(5000);
  });

  it('refuses a records file with a bad line before sending anything, naming the line', async () => {
    const path = join(tempDir('records-'), 'bad.jsonl');
    writeFileSync(path, '{"data":{"a":1}}\n{"data":{"a":2,"metadata":"x"}}\n');
    const stateDir = tempDir('state-');
    const result = await runCli(
      [
        'upload',
        '--records',
        path,
        '--workflow',
        SANDBOX_WORKFLOWS.records,
        '--new-batch',
        'bad',
        '--state-dir',
        stateDir,
      ],
      sandboxEnv(sandbox()),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2/);
  });
});

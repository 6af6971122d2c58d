/**
 * Scenario W keeps working: `node bench/run.ts --quick --only W` sweeps the floor, runs the engine and par-curl
 * through the slow sandbox link, and reports the best floor's concurrency. Its numbers are not checked (timing is
 * not a test), only that every run delivered and that the best floor named is the fastest floor run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliHasCommand } from '../../../bench/context.ts';
import type { BenchResults } from '../../../bench/results.ts';
import { FLOOR_CONCURRENCIES } from '../../../bench/scenarios/wide-area.ts';
import { runQuickBench } from './quick-bench.ts';

const hasCurl = spawnSync('curl', ['--version']).status === 0;
if (!hasCurl) console.warn('bench W test skipped: curl is not installed (par-curl needs it)');

let resultsDir: string | undefined;
afterAll(async () => {
  if (resultsDir) await rm(resultsDir, { recursive: true, force: true });
});

describe.skipIf(!hasCurl)('npm run bench -- --quick --only W', () => {
  it('sweeps the floor, runs the engine and par-curl per workload, and names the fastest floor', async () => {
    resultsDir = await mkdtemp(join(tmpdir(), 'bench-w-'));
    const run = await runQuickBench(resultsDir, ['--only', 'W']);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(run.stdout).toMatch(/W: small: engine throughput \/ best floor: .* \(target >= 0\.9\)/);

    const results = JSON.parse(await readFile(join(resultsDir, 'latest.json'), 'utf8')) as BenchResults;
    const [scenario, ...others] = results.scenarios;
    expect(others).toEqual([]);
    expect(scenario?.id).toBe('W');
    const engineRuns = cliHasCommand('upload') ? 'ok' : 'skipped';
    for (const workload of ['small', 'large']) {
      const runs = scenario?.contenders.filter((c) => c.subject?.startsWith(workload)) ?? [];
      expect(runs.map((c) => c.subject)).toEqual([
        ...FLOOR_CONCURRENCIES.map((n) => `${workload} c=${n}`),
        workload,
        workload,
      ]);
      expect(runs.map((c) => c.contender)).toEqual([
        ...FLOOR_CONCURRENCIES.map(() => 'floor'),
        'engine',
        'par-curl',
      ]);
      for (const c of runs) {
        const expected = c.contender === 'engine' ? engineRuns : 'ok';
        expect(c.status, `${c.subject} ${c.contender}: ${c.note ?? ''}`).toBe(expected);
        if (c.status === 'ok') expect(c.verified).toMatch(/records in the batch/);
      }
      const floors = runs.filter((c) => c.contender === 'floor');
      const fastest = Math.min(...floors.map((c) => c.wallSeconds ?? Infinity));
      const fastestSubject = floors.find((c) => c.wallSeconds === fastest)?.subject;
      expect(`${workload} c=${scenario?.ratios[`${workload}: best floor concurrency`]}`).toBe(fastestSubject);
      expect(scenario?.targets.filter((t) => t.description.startsWith(`${workload}:`))).toHaveLength(2);
    }
  }, 400_000);
});

/**
 * The bench keeps working: `node bench/run.ts --quick` runs every scenario with every contender at tiny sizes,
 * prints one table and writes latest.json. Its numbers are not checked (timing is not a test), only that each
 * contender ran, or was skipped for a stated reason, and that the checks after each run passed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliHasCommand } from '../../../bench/context.ts';
import type { BenchResults } from '../../../bench/results.ts';
import { runQuickBench } from './quick-bench.ts';

const hasCurl = spawnSync('curl', ['--version']).status === 0;
const hasFfmpeg =
  spawnSync('ffmpeg', ['-version']).status === 0 && spawnSync('ffprobe', ['-version']).status === 0;
if (!hasFfmpeg) console.warn('bench quick test: scenario P is skipped by the bench, ffmpeg is not installed');
if (!hasCurl)
  console.warn('bench quick test skipped: curl is not installed (the tutorial contenders need it)');

let resultsDir: string | undefined;
afterAll(async () => {
  if (resultsDir) await rm(resultsDir, { recursive: true, force: true });
});

describe.skipIf(!hasCurl)('npm run bench -- --quick', () => {
  it('runs every scenario with every contender, prints the table and writes latest.json', async () => {
    resultsDir = await mkdtemp(join(tmpdir(), 'bench-quick-'));
    const run = await runQuickBench(resultsDir);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(run.stdout).toMatch(/scenario\s+contender\s+wall s\s+throughput\s+peak RSS MiB/);
    expect(run.stdout).toContain('Targets:');

    const results = JSON.parse(await readFile(join(resultsDir, 'latest.json'), 'utf8')) as BenchResults;
    expect(results.quick).toBe(true);
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.scenarios.map((s) => s.id)).toEqual(['S', 'L', 'E', 'Q', 'P']);
    const contenders = Object.fromEntries(
      results.scenarios.map((s) => [s.id, s.contenders.map((c) => c.contender).sort()]),
    );
    expect(contenders).toEqual({
      S: ['engine', 'floor', 'par-curl', 'seq-curl'],
      L: ['engine', 'floor', 'par-curl', 'seq-curl'],
      E: ['engine', 'floor', 'par-curl', 'seq-curl'],
      Q: ['engine', 'find'],
      P: ['engine', 'engine', 'ffprobe', 'ffprobe'],
    });

    const upload = cliHasCommand('upload');
    const exportCommand = cliHasCommand('export');
    for (const scenario of results.scenarios) {
      for (const c of scenario.contenders) {
        const where = `${scenario.id}/${c.contender}: ${c.note ?? ''}`;
        const engineMissing =
          c.contender === 'engine' &&
          ((scenario.id === 'E' && !exportCommand) ||
            (scenario.id !== 'E' && scenario.id !== 'Q' && !upload));
        const oneFile = c.contender === 'par-curl' && (scenario.id === 'L' || scenario.id === 'E');
        const noFfmpeg = scenario.id === 'P' && !hasFfmpeg;
        expect(c.status, where).toBe(engineMissing || oneFile || noFfmpeg ? 'skipped' : 'ok');
        if (c.status === 'ok') {
          expect(c.wallSeconds, where).toBeGreaterThan(0);
          expect(c.peakRssMiB, where).toBeGreaterThan(0);
        }
      }
      expect(scenario.targets.length).toBeGreaterThan(0);
    }
    // Every uploading contender proved its records arrived.
    const s = results.scenarios.find((scenario) => scenario.id === 'S');
    for (const c of s?.contenders ?? [])
      if (c.status === 'ok') expect(c.verified).toMatch(/records in the batch/);
    // The probe counted the frames ffprobe counts, in each container.
    const p = results.scenarios.find((scenario) => scenario.id === 'P');
    for (const c of p?.contenders ?? [])
      if (c.status === 'ok' && c.contender === 'engine') expect(c.verified).toMatch(/ffprobe: the same/);
  });
});

/**
 * `--max-records N` against the sandbox: the run never creates record N+1, across SIGKILLs at random moments and
 * reruns; it ends saying the limit was reached and how many files wait, and a rerun with a higher limit sends the
 * rest into the same batch.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, runCliAndKill, sandboxEnv, tempDir, writeImages } from '../uploads/helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 19, faults: { latencyMs: 10 } });
const FILES = 800;
const LIMIT = 500;
const KILLS = 10;

describe('--max-records', () => {
  it(`leaves exactly ${LIMIT} records of ${FILES} files after ${KILLS} kills and reruns, then a higher limit sends the rest`, async () => {
    const folder = join(tempDir('limit-'), 'files');
    writeImages(folder, FILES, 1024);
    const stateDir = tempDir('limit-state-');
    const env = sandboxEnv(sandbox());
    const args = (limit: number): string[] => [
      'upload',
      folder,
      '--workflow',
      SANDBOX_WORKFLOWS.image,
      '--new-batch',
      'limited',
      '--max-records',
      String(limit),
      '--state-dir',
      stateDir,
      '--json',
    ];

    let kills = 0;
    while (kills < KILLS) {
      const start = sandbox().stats().requests;
      const after = 10 + Math.floor(Math.random() * 400);
      const run = await runCliAndKill(args(LIMIT), env, () => sandbox().stats().requests - start >= after);
      if (!run.killed) break;
      kills++;
      // Never more than the limit, at any moment, whatever was in flight at the kill.
      expect(sandbox().stats().records).toBeLessThanOrEqual(LIMIT);
    }
    const final = await runCli(args(LIMIT), env);
    expect(final.code, final.stderr).toBe(0);
    const stats = sandbox().stats();
    expect(stats.records).toBe(LIMIT);
    expect(stats.duplicateRecords).toBe(0);
    expect(stats.duplicateAssets).toBe(0);
    const left = FILES - LIMIT;
    // Files uploaded before the limit was seen wait with the rest; their number is what the message says.
    const said = /limit of 500 records reached; (\d+) files left in the queue/.exec(final.stderr);
    expect(said, final.stderr).not.toBeNull();
    expect(Number(said?.[1])).toBe(left);
    // A second rerun at the same limit sends nothing more.
    const again = await runCli(args(LIMIT), env);
    expect(again.code, again.stderr).toBe(0);
    expect(sandbox().stats().records).toBe(LIMIT);

    const raised = await runCli(args(FILES), env);
    expect(raised.code, raised.stderr).toBe(0);
    const after = sandbox().stats();
    expect(after.records).toBe(FILES);
    expect(Object.keys(after.recordsByBatch)).toHaveLength(1);
    expect(after.duplicateRecords).toBe(0);
    expect(after.assets).toBe(FILES);
    console.log(`--max-records: ${kills} kills, ${stats.assets} assets when the limit stopped the run`);
  }, 400_000);

  it('refuses a limit that is not a whole number', async () => {
    const run = await runCli(
      ['upload', tempDir('x-'), '--workflow', SANDBOX_WORKFLOWS.image, '--new-batch', 'x', '--max-records', '0'],
      sandboxEnv(sandbox()),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-records "0" must be a whole number of at least 1');
  });
});

import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, runCliAndKill, sandboxEnv, tempDir, writeImages } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 11, faults: { latencyMs: 15 } });
const KILLS = 10;

/** Item states present in the journal right after a kill (the lock died with the process). */
function statesInJournal(stateDir: string): string[] {
  const db = new DatabaseSync(join(stateDir, 'uploads.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT DISTINCT state FROM items').all() as { state: string }[]).map(
      (row) => row.state,
    );
  } catch {
    return [];
  } finally {
    db.close();
  }
}

describe('crash recovery', () => {
  it('survives SIGKILL at random moments: 300 files, zero duplicate assets or records, one record per file', async () => {
    const folder = join(tempDir('crash-'), 'files');
    writeImages(folder, 300, 4096);
    const stateDir = tempDir('state-');
    const env = sandboxEnv(sandbox());
    const args = [
      'upload',
      folder,
      '--workflow',
      SANDBOX_WORKFLOWS.image,
      '--new-batch',
      'crash test',
      '--state-dir',
      stateDir,
      '--json',
    ];

    let kills = 0;
    const statesAtKill = new Set<string>();
    let finishedEarly = false;
    // Each run is killed after a random number of requests reach the sandbox, so kills land in every state:
    // during registration, PUTs, closes and records chunks.
    while (kills < KILLS) {
      const start = sandbox().stats().requests;
      const after = 5 + Math.floor(Math.random() * 120);
      const run = await runCliAndKill(args, env, () => sandbox().stats().requests - start >= after);
      if (run.killed) {
        kills++;
        for (const state of statesInJournal(stateDir)) statesAtKill.add(state);
      } else {
        finishedEarly = true;
        break;
      }
    }
    const final = await runCli(args, env);
    expect(final.code, final.stderr).toBe(0);
    const summary = JSON.parse(final.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(summary).toMatchObject({ event: 'summary', done: 300, failed: 0 });

    const stats = sandbox().stats();
    expect(stats.duplicateAssets).toBe(0);
    expect(stats.duplicateRecords).toBe(0);
    expect(stats.assets).toBe(300);
    expect(Object.keys(stats.recordsByBatch)).toHaveLength(1);
    expect(stats.records).toBe(300);
    expect(kills + (finishedEarly ? 1 : 0)).toBeGreaterThanOrEqual(KILLS);
    console.log(
      `crash test: ${kills} kills (states at the kills: ${[...statesAtKill].sort().join(', ')}), ${stats.putsReceived} PUTs for 300 files, ${stats.requests} requests`,
    );
  }, 300_000);
});

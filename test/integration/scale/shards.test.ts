/**
 * Many machines through the scheduler people already run: 8 `upload --shard I/8` processes on one tree of 4,000
 * files, started at once into one batch made beforehand, each killed and rerun, end with every file once. Their
 * journals merge into one manifest equal to a single-machine run's, `verify` passes, and it flags a record deleted
 * and an asset removed behind the uploader's back.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, runCliAndKill, sandboxEnv, tempDir, writeImages } from '../uploads/helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 23, faults: { latencyMs: 5 } });
const FILES = 4000;
const SHARDS = 8;
const WORKFLOW = SANDBOX_WORKFLOWS.image;

type Line = Record<string, string>;

async function createBatch(name: string): Promise<string> {
  const made = await runCli(
    ['batch', 'create', '--workflow', WORKFLOW, '--name', name, '--json'],
    sandboxEnv(sandbox()),
  );
  expect(made.code, made.stderr).toBe(0);
  return (JSON.parse(made.stdout) as { id: string }).id;
}

/** One shard: killed once or twice after a random number of its requests, then rerun to the end. */
async function runShard(args: string[], kills: number): Promise<{ code: number | null; stderr: string }> {
  const env = sandboxEnv(sandbox());
  for (let k = 0; k < kills; k++) {
    // The sandbox's counters are shared by all eight, so each process is killed after a random time of its own.
    const deadline = Date.now() + 500 + Math.random() * 2500;
    const run = await runCliAndKill(args, env, () => Date.now() >= deadline);
    if (!run.killed) break;
  }
  return runCli(args, env);
}

/**
 * The manifest as rows, without what differs between two uploads of the same files: ids, times, and the asset
 * name's suffix, which names the journal that made the asset (each machine has its own).
 */
function comparable(csv: string): string[] {
  return (parse(csv, { columns: true }) as Line[])
    .map((line) => [line.path, line.size, line.md5, line.assetName?.replace(/~[^.]*/, '')].join('|'))
    .sort();
}

function deleteOnSandbox(what: 'records' | 'assets', id: string): Promise<Response> {
  return fetch(`${sandbox().origin}/__sandbox/${what}/${id}`, {
    method: 'DELETE',
    headers: { 'x-api-key': sandbox().options.apiKey },
  });
}

describe('shards', () => {
  it(`${SHARDS} shards of ${FILES} files, killed and rerun, upload each file once and merge into one manifest`, async () => {
    const folder = join(tempDir('shards-'), 'tree');
    writeImages(join(folder, 'a'), FILES / 2, 512);
    writeImages(join(folder, 'b'), FILES / 2, 512);
    const batchId = await createBatch('sharded');
    const stateDirs = Array.from({ length: SHARDS }, (_, i) => tempDir(`shard-${i}-`));
    const args = (i: number): string[] => [
      'upload',
      folder,
      '--workflow',
      WORKFLOW,
      '--batch',
      batchId,
      '--shard',
      `${i}/${SHARDS}`,
      '--state-dir',
      stateDirs[i] as string,
      '--json',
    ];
    const results = await Promise.all(stateDirs.map((_, i) => runShard(args(i), 1 + (i % 2))));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const stats = sandbox().stats();
    expect(stats.assets).toBe(FILES);
    expect(stats.records).toBe(FILES);
    expect(stats.duplicateAssets).toBe(0);
    expect(stats.duplicateRecords).toBe(0);

    const env = sandboxEnv(sandbox());
    const journals = stateDirs.flatMap((dir) => ['--state-dir', dir]);
    const sharded = await runCli(['manifest', '--workflow', WORKFLOW, '--batch', batchId, ...journals], env);
    expect(sharded.code, sharded.stderr).toBe(0);
    const lines = parse(sharded.stdout, { columns: true }) as Line[];
    expect(lines).toHaveLength(FILES);
    expect(new Set(lines.map((line) => line.recordId)).size).toBe(FILES);
    expect(lines.every((line) => line.status === 'queued' && /^[0-9a-f]{32}$/.test(line.md5 ?? ''))).toBe(
      true,
    );

    // The same tree from one machine, into a batch of its own: the same manifest but for ids and times.
    const single = tempDir('single-');
    const oneBatch = await createBatch('single machine');
    const whole = await runCli(
      ['upload', folder, '--workflow', WORKFLOW, '--batch', oneBatch, '--state-dir', single],
      env,
    );
    expect(whole.code, whole.stderr).toBe(0);
    const singleManifest = await runCli(
      ['manifest', '--workflow', WORKFLOW, '--batch', oneBatch, '--state-dir', single],
      env,
    );
    expect(comparable(sharded.stdout)).toEqual(comparable(singleManifest.stdout));

    const verify = (): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      runCli(['verify', '--workflow', WORKFLOW, '--batch', batchId, ...journals], env);
    const clean = await verify();
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toContain(`verified: ${FILES} files checked, 0 problems, 0 extra records`);

    const [first, second] = [lines[0] as Line, lines[1] as Line];
    expect((await deleteOnSandbox('records', first.recordId as string)).status).toBe(204);
    expect((await deleteOnSandbox('assets', second.assetId as string)).status).toBe(204);
    const flagged = await verify();
    expect(flagged.code).toBe(1);
    expect(flagged.stdout).toContain(
      `missing: ${first.path} (asset ${first.assetId}): its record is not in the batch`,
    );
    expect(flagged.stdout).toContain(
      `missing: ${second.path} (asset ${second.assetId}): its asset no longer exists`,
    );
    expect(flagged.stdout).toContain(`NOT verified: ${FILES} files checked, 2 problems, 0 extra records`);

    // A journal left out: its files' records are extra.
    const partial = await runCli(
      ['verify', '--workflow', WORKFLOW, '--batch', batchId, ...journals.slice(2), '--json'],
      env,
    );
    expect(partial.code).toBe(1);
    const report = JSON.parse(partial.stdout) as { extra: unknown[]; checked: number };
    expect(report.extra.length).toBeGreaterThan(0);
    expect(report.checked).toBeLessThan(FILES);
    expect(report.checked + report.extra.length).toBeGreaterThanOrEqual(FILES - 1);
  }, 600_000);
});

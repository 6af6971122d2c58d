/**
 * `upload --dry-run` against the sandbox: a plan of 1,000 files (some uploaded before, some copies of others, some
 * unsupported, one too large, one hidden) creates nothing on the platform, and its counts are what the real
 * upload then does, with and without --skip-duplicate-content.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, sandboxEnv, tempDir, writeImages } from '../uploads/helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 29 });
const WORKFLOW = SANDBOX_WORKFLOWS.image;

interface Plan {
  found: { files: number };
  toUpload: { files: number; byKind: Record<string, { files: number }> };
  recordsToCreate: number;
  skipped: { reason: string; files: number }[];
  failing: { reason: string; files: number }[];
  identical: { paths: string[] }[];
}
interface Summary {
  done: number;
  skipped: number;
  walkSkipped: number;
  failed: number;
}

const total = (groups: { files: number }[]): number => groups.reduce((sum, g) => sum + g.files, 0);
const lastJson = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as T;

/** 1,000 files: 900 distinct images, 60 copies of some of them, 30 unsupported, 9 text, one of 2 MB. */
function makeTree(): string {
  const root = join(tempDir('plan-'), 'tree');
  const images = writeImages(join(root, 'images'), 900, 700);
  mkdirSync(join(root, 'copies'));
  for (let i = 0; i < 60; i++) copyFileSync(images[i * 7 + 3] as string, join(root, 'copies', `copy-${i}.png`));
  mkdirSync(join(root, 'other'));
  for (let i = 0; i < 30; i++) writeFileSync(join(root, 'other', `blob-${i}.bin`), Buffer.alloc(300, i + 1));
  for (let i = 0; i < 9; i++) writeFileSync(join(root, 'other', `doc-${i}.txt`), `document ${i}\n`);
  const big = Buffer.alloc(2_000_000, 7);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(big);
  writeFileSync(join(root, 'other', 'big.png'), big);
  writeFileSync(join(root, 'other', '.hidden.png'), 'x');
  return root;
}

describe('upload --dry-run', () => {
  it.each([false, true])(
    'creates nothing, and its counts equal the real upload that follows (--skip-duplicate-content: %s)',
    async (dedupe) => {
      const root = makeTree();
      const stateDir = tempDir('plan-state-');
      const env = sandboxEnv(sandbox());
      const flags = ['--workflow', WORKFLOW, '--max-file-size', '1', '--state-dir', stateDir, '--json'];
      const dedupeFlag = dedupe ? ['--skip-duplicate-content'] : [];
      // Some uploaded before, into a batch of their own.
      const before = await runCli(
        [
          'upload',
          join(root, 'images', 'img-00000.png'),
          join(root, 'images', 'img-00001.png'),
          '--new-batch',
          'earlier',
          ...flags,
        ],
        env,
      );
      expect(before.code, before.stderr).toBe(0);
      const stats = sandbox().stats();

      const dry = await runCli(
        ['upload', root, '--new-batch', `planned ${dedupe}`, '--dry-run', ...dedupeFlag, ...flags],
        env,
      );
      expect(dry.code, dry.stderr).toBe(0);
      const plan = lastJson<Plan>(dry.stdout);
      const after = sandbox().stats();
      expect(after.assets).toBe(stats.assets);
      expect(after.records).toBe(stats.records);
      expect(after.putsReceived).toBe(stats.putsReceived);
      expect(Object.keys(after.recordsByBatch)).toEqual(Object.keys(stats.recordsByBatch));
      // Not one request that changes anything: no POST, PUT or DELETE reached the sandbox.
      const writes = (byRoute: Record<string, number>): number =>
        Object.entries(byRoute)
          .filter(([route]) => /^(POST|PUT|DELETE) /.test(route) && !route.includes('/login'))
          .reduce((sum, [, n]) => sum + n, 0);
      expect(writes(after.requestsByRoute)).toBe(writes(stats.requestsByRoute));

      expect(plan.found.files).toBe(1000);
      expect(plan.identical).toHaveLength(60);
      expect(plan.skipped.find((g) => g.reason === 'already uploaded')?.files).toBe(2);
      expect(plan.failing.find((g) => g.reason.startsWith('over the size limit'))?.files).toBe(1);
      if (dedupe) expect(plan.skipped.find((g) => g.reason === 'identical content')?.files).toBe(60);

      const real = await runCli(
        ['upload', root, '--new-batch', `planned ${dedupe}`, ...dedupeFlag, ...flags],
        env,
      );
      expect(real.code).toBe(1); // the file over the size limit fails
      const summary = lastJson<Summary>(real.stdout);
      expect(summary.done).toBe(plan.toUpload.files);
      expect(summary.failed).toBe(total(plan.failing));
      expect(summary.skipped + summary.walkSkipped).toBe(total(plan.skipped));
      expect(sandbox().stats().records - after.records).toBe(plan.recordsToCreate);
      expect(sandbox().stats().assets - after.assets).toBe(plan.toUpload.files);
    },
    300_000,
  );

  it('prints the plan for a person', async () => {
    const root = join(tempDir('plan-text-'), 'tree');
    writeImages(root, 5, 600);
    const run = await runCli(
      [
        'upload',
        root,
        '--workflow',
        WORKFLOW,
        '--new-batch',
        'text plan',
        '--dry-run',
        '--state-dir',
        tempDir('s-'),
      ],
      sandboxEnv(sandbox()),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('dry run: nothing is registered, uploaded or created');
    expect(run.stdout).toMatch(/would upload 5 files, [\d.]+ KB \(5 image/);
    expect(run.stdout).toContain(
      'would create 5 records in a new batch "text plan" (created when the upload runs)',
    );
  });
});

/**
 * What the walk leaves out is printed in text mode with its reason, and a path that does not exist fails the
 * command (exit 1, one clear line) after the rest has been uploaded, as rsync and rclone do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, sandboxEnv, tempDir, writeImages } from '../uploads/helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 9 });

/** A folder with two images, a subfolder with one more, an empty file, a hidden file and a hidden folder. */
function mixedFolder(): { folder: string; empty: string; hidden: string } {
  const folder = join(tempDir('skips-'), 'in');
  writeImages(folder, 2);
  writeImages(join(folder, 'sub'), 1);
  const empty = join(folder, 'empty.png');
  const hidden = join(folder, '.hidden.png');
  writeFileSync(empty, '');
  writeFileSync(hidden, 'x');
  mkdirSync(join(folder, '.cache'));
  return { folder, empty, hidden };
}

function upload(paths: string[], batch: string): ReturnType<typeof runCli> {
  const args = ['upload', ...paths, '--workflow', SANDBOX_WORKFLOWS.image, '--new-batch', batch];
  return runCli([...args, '--state-dir', tempDir('skips-state-')], sandboxEnv(sandbox()));
}

describe('CLI walk skips', () => {
  it('prints every skip with its reason and exits 0 when everything asked for was read', async () => {
    const { folder, empty, hidden } = mixedFolder();
    const run = await upload([folder], 'skips');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const skipped = run.stdout.split('\n').filter((line) => line.startsWith('skipped '));
    expect(skipped.sort()).toEqual(
      [
        `skipped ${empty}: empty file`,
        `skipped ${hidden}: hidden file`,
        `skipped ${join(folder, '.cache')}: hidden folder`,
      ].sort(),
    );
    expect(run.stdout).toMatch(/^3 done, 3 skipped, 0 failed/m);
  });

  it('a path that does not exist is reported, the rest is uploaded, and the command exits 1', async () => {
    const { folder } = mixedFolder();
    const missing = join(tempDir('skips-missing-'), 'no-such-folder');
    const before = sandbox().stats().records;
    const run = await upload([missing, folder], 'skips and missing');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`skipped ${missing}: not found\n`);
    expect(run.stdout).toMatch(/^3 done, 4 skipped, 0 failed/m);
    expect(run.stderr).toBe(
      `error: 1 path was not uploaded: it does not exist or could not be read: ${missing} (not found)\n`,
    );
    expect(sandbox().stats().records - before).toBe(3);
  });

  it('with --json the skips are events, and a missing path still exits 1', async () => {
    const missing = join(tempDir('skips-json-'), 'gone.png');
    const { folder } = mixedFolder();
    const args = [
      'upload',
      missing,
      folder,
      '--workflow',
      SANDBOX_WORKFLOWS.image,
      '--new-batch',
      'skips json',
    ];
    const run = await runCli(
      [...args, '--json', '--state-dir', tempDir('skips-state-')],
      sandboxEnv(sandbox()),
    );
    expect(run.code).toBe(1);
    const events = run.stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as { event: string; path?: string; reason?: string; walkProblems?: number },
      );
    expect(events.filter((event) => event.event === 'skipped')).toContainEqual({
      event: 'skipped',
      path: missing,
      reason: 'not found',
    });
    expect(events.at(-1)).toMatchObject({ event: 'summary', done: 3, walkProblems: 1 });
  });
});

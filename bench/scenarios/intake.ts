/**
 * Scenario Q, intake at scale: a tree of many tiny files walked and journaled, no upload, against
 * `find DIR -type f -printf '%s %T@ %p\n'` writing the same facts (size, mtime, path) to a file. Both run on a
 * warm cache (one untimed `find` first).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_WORKFLOWS } from '../../sandbox/seed.ts';
import type { BenchContext } from '../context.ts';
import { CLI, engineNodeFlags, runContender } from '../context.ts';
import { makeTree } from '../data.ts';
import type { ContenderResult, ScenarioResult } from '../results.ts';
import { okResult, ratio, target } from '../results.ts';
import { ensureIntakeBundle } from '../intake-bundle.ts';
import { intakeOnlyCommand } from './intake-command.ts';

const MB = 1e6;

/** Runs scenario Q. */
export async function runIntake(ctx: BenchContext): Promise<ScenarioResult> {
  const count = ctx.sizes.intakeFiles;
  const dir = join(ctx.tmp, 'Q');
  const tree = join(dir, 'tree');
  ctx.log(`Q: writing ${count} tiny files`);
  makeTree(tree, count);
  spawnSync('find', [tree, '-type', 'f'], { stdio: 'ignore' });
  const findOut = join(dir, 'find.txt');
  const stateDir = join(dir, 'engine-state');
  mkdirSync(stateDir, { recursive: true });
  const workflow = SANDBOX_WORKFLOWS.image;
  const expectQueued = async (stdout: string): Promise<string> => {
    const queued = /"queued":\s*(\d+)/.exec(stdout)?.[1];
    if (queued !== undefined && Number(queued) !== count)
      throw new Error(`${queued} files journaled, expected ${count}`);
    return queued === undefined ? 'exit 0' : `${queued} files journaled`;
  };

  const contenders: ContenderResult[] = [];
  contenders.push(
    await runContender(ctx, 'Q', null, {
      contender: 'find',
      command: 'bash',
      args: ['-c', 'find "$1" -type f -printf \'%s %T@ %p\\n\' > "$2"', 'find', tree, findOut],
      bytes: 0,
      files: count,
    }),
  );
  const cliMode = intakeOnlyCommand();
  const args = cliMode
    ? [...engineNodeFlags(ctx, 'Q-engine'), CLI, ...cliMode.args(tree, workflow, stateDir)]
    : [
        ...engineNodeFlags(ctx, 'Q-engine'),
        await ensureIntakeBundle(ctx.log),
        '--state-dir',
        stateDir,
        '--workflow',
        workflow,
        tree,
      ];
  contenders.push(
    await runContender(ctx, 'Q', null, {
      contender: 'engine',
      command: process.execPath,
      args,
      bytes: 0,
      files: count,
      verify: expectQueued,
    }),
  );
  const engine = contenders.find((c) => c.contender === 'engine');
  if (engine) {
    engine.note = cliMode
      ? `CLI: ${cliMode.description}`
      : "bench/intake-only.ts, built like the CLI (out/bench/intake-only.js): the engine's walkPaths feeding its journal (the CLI has no intake-only mode)";
  }

  const ok = okResult(contenders, 'engine');
  const find = okResult(contenders, 'find');
  const timeOfFind = ratio(ok?.wallSeconds, find?.wallSeconds);
  return {
    id: 'Q',
    title: 'intake at scale',
    workload: `${count} files`,
    contenders,
    ratios: { 'engine time / find time': timeOfFind },
    targets: [
      target('Q', 'engine time / find time', timeOfFind, '<=', 5),
      target(
        'Q',
        'engine peak RSS (MB)',
        ok?.peakRssMiB ? (ok.peakRssMiB * 1024 * 1024) / MB : null,
        '<',
        300,
      ),
    ],
    notes: [
      'both read a warm cache; find writes its lines to a file, the engine writes its journal (SQLite, WAL)',
    ],
  };
}

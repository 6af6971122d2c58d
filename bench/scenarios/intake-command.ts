/**
 * Finds the CLI's intake-only mode (walk and journal, no upload), if the upload command has one.
 */
import { spawnSync } from 'node:child_process';
import { CLI } from '../context.ts';

/** How to run intake only through the CLI. */
interface IntakeCommand {
  description: string;
  args(tree: string, workflow: string, stateDir: string): string[];
}

// Not --dry-run: a dry run inspects every file and writes no journal, which is not what this scenario measures.
const FLAGS = ['--intake-only', '--no-upload'];

/** The upload command's intake-only flag, or null when it has none. */
export function intakeOnlyCommand(): IntakeCommand | null {
  const help = spawnSync(process.execPath, [CLI, 'upload', '--help'], { encoding: 'utf8', timeout: 30_000 });
  if (help.status !== 0) return null;
  const flag = FLAGS.find((candidate) => help.stdout.includes(candidate));
  if (!flag) return null;
  return {
    description: `upload ${flag}`,
    args: (tree, workflow, stateDir) => [
      'upload',
      tree,
      '--workflow',
      workflow,
      '--new-batch',
      'bench intake',
      flag,
      '--state-dir',
      stateDir,
      '--json',
    ],
  };
}

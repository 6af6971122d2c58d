/**
 * Where the upload journal lives: `--state-dir` when given, else the app's per-user state folder. The CLI and the
 * desktop app share the default, so a queue started in one is seen (and locked) by the other.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultStateDir } from '../../state/app-state-dir.ts';

/** File name of the upload journal inside the state directory. */
const JOURNAL_FILE = 'uploads.sqlite';

/** The state directory to use (created with 0700 when missing): the flag, else the platform default. */
export function resolveStateDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = flag ? resolve(flag) : (env.ALEGION_STATE_DIR ?? defaultStateDir(env));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Path of the upload journal in a state directory. */
export function journalPathIn(stateDir: string): string {
  return join(stateDir, JOURNAL_FILE);
}

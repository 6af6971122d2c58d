/**
 * The engine contender runs the CLI as users get it: the bundle `out/cli/cli.js` (`npm run build:cli`), which
 * starts in a fraction of the time and memory of the TypeScript sources. It is rebuilt when missing or older than
 * any source it is built from, so a bench never measures stale code.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The bundled CLI entry point the engine contender runs. */
export const CLI_BUNDLE = join(ROOT, 'out', 'cli', 'cli.js');

/** What the bundle is built from: the folders it may import, the build script and the dependency pins. */
const SOURCE_DIRS = ['main', 'common', 'sandbox'];
const SOURCE_FILES = ['scripts/build-cli.ts', 'package.json', 'package-lock.json'];

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestIn(dir: string): number {
  let newest = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (/\.(ts|tsx|js|mjs|json)$/.test(entry)) newest = Math.max(newest, mtimeMs(join(dir, entry)));
  }
  return newest;
}

/** When the newest source a bundle is built from last changed. */
export function newestSource(): number {
  return Math.max(
    ...SOURCE_DIRS.map((dir) => newestIn(join(ROOT, dir))),
    ...SOURCE_FILES.map((file) => mtimeMs(join(ROOT, file))),
  );
}

/** True when the bundle is missing or any of its sources changed after it was built. */
export function cliBundleIsStale(): boolean {
  const built = mtimeMs(CLI_BUNDLE);
  if (built === 0) return true;
  return newestSource() > built;
}

let checked = false;

/** Builds `out/cli/cli.js` (`node scripts/build-cli.ts`) when it is missing or stale; checked once per process. */
export function ensureCliBundle(log: (message: string) => void = () => undefined): string {
  if (checked) return CLI_BUNDLE;
  if (cliBundleIsStale()) {
    log('building the CLI bundle (out/cli/cli.js) ...');
    const build = spawnSync(process.execPath, ['scripts/build-cli.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (build.status !== 0) {
      throw new Error(`building the CLI bundle failed: ${(build.stderr || build.stdout).trim().slice(-400)}`);
    }
  }
  checked = true;
  return CLI_BUNDLE;
}

/**
 * Scenario Q's engine runs bench/intake-only.ts built into one JavaScript file (`out/bench/intake-only.js`), the
 * way the CLI contender runs the CLI's bundle: built code, not the TypeScript sources through Node's type stripping
 * (which alone took a quarter of a second of the intake's 2.5 s). Rebuilt when missing or older than its sources.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { newestSource } from './cli-bundle.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(ROOT, 'bench', 'intake-only.ts');
const OUT_DIR = join(ROOT, 'out', 'bench');

/** The built intake-only script. */
export const INTAKE_BUNDLE = join(OUT_DIR, 'intake-only.js');

function builtAt(): number {
  try {
    return statSync(INTAKE_BUNDLE).mtimeMs;
  } catch {
    return 0;
  }
}

/** Builds `out/bench/intake-only.js` when it is missing or stale, and answers its path. */
export async function ensureIntakeBundle(log: (message: string) => void = () => undefined): Promise<string> {
  const built = builtAt();
  if (built > 0 && built >= Math.max(newestSource(), statSync(ENTRY).mtimeMs)) {
    return INTAKE_BUNDLE;
  }
  log('building the intake-only bundle (out/bench/intake-only.js) ...');
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir: OUT_DIR,
      emptyOutDir: true,
      target: 'node24',
      rollupOptions: {
        input: {
          'intake-only': ENTRY,
          'walk-worker': join(ROOT, 'main', 'uploads', 'intake', 'walk-worker.ts'),
        },
        output: { entryFileNames: '[name].js', format: 'es' },
      },
    },
  });
  return INTAKE_BUNDLE;
}

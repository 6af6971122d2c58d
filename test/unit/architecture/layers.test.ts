/**
 * The layers of main/ are enforced by `npm run lint` (eslint-plugin-boundaries, see eslint.layers.ts): an import
 * against them is an error, an allowed one is not. Each layer is tried against every other, so a policy that goes
 * missing or grows too wide fails here.
 */
import { ESLint } from 'eslint';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWED, SURFACE_FILE, SURFACED, THROUGH_SURFACES } from '../../../eslint.layers.ts';

const ROOT = join(import.meta.dirname, '../../..');
/** A file of each layer to import from it (for the surfaced modules: one of their internals, not the surface). */
const SAMPLE: Record<string, string> = {
  common: 'common/api.ts',
  sandbox: 'sandbox/server.ts',
  state: 'main/state/app-state-dir.ts',
  workers: 'main/workers/worker-entry.ts',
  alegion: 'main/alegion/errors.ts',
  hashing: 'main/hashing/hash-protocol.ts',
  doneness: 'main/doneness/completion.ts',
  uploads: 'main/uploads/journal/journal.ts',
  exports: 'main/exports/export-service.ts',
  watch: 'main/watch/folder-watch.ts',
  engine: 'main/engine/create-engine.ts',
  host: 'main/host/terminal-text.ts',
  app: 'main/app/window.ts',
};

const eslint = new ESLint({
  cwd: ROOT,
  // The layer rule needs no type information; the type-aware rules are checked by `npm run lint` itself.
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
    },
  },
});

/** The boundary errors of a file in `fromLayer` that imports `target`. */
async function boundaryErrors(fromLayer: string, target: string): Promise<string[]> {
  const folder = SAMPLE[fromLayer]?.split('/').slice(0, -1).join('/') as string;
  const filePath = join(ROOT, folder, 'layer-probe.ts');
  const relative = '../'.repeat(folder.split('/').length) + target;
  const [result] = await eslint.lintText(
    `import * as probe from '${relative}';\nexport const used = probe;\n`,
    {
      filePath,
    },
  );
  return (result?.messages ?? []).filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('the layers of main/', () => {
  const layers = Object.keys(ALLOWED);
  for (const from of layers) {
    it(`${from} may import only ${ALLOWED[from]?.join(', ') || 'nothing else'}`, async () => {
      for (const to of Object.keys(SAMPLE)) {
        if (to === from) continue;
        const throughSurface = THROUGH_SURFACES.includes(from) && SURFACED.includes(to);
        const target = throughSurface ? surfaceOf(to) : (SAMPLE[to] as string);
        const errors = await boundaryErrors(from, target);
        const allowed = ALLOWED[from]?.includes(to) ?? false;
        expect(errors, `${from} -> ${target}`).toHaveLength(allowed ? 0 : 1);
      }
    }, 60_000);
  }
});

function surfaceOf(layer: string): string {
  return `main/${layer}/${SURFACE_FILE}`;
}

describe('the surfaces of the modules', () => {
  for (const from of THROUGH_SURFACES) {
    it(`${from} imports ${SURFACED.join(', ')} through their ${SURFACE_FILE} only`, async () => {
      for (const to of SURFACED) {
        if (!ALLOWED[from]?.includes(to)) continue;
        expect(await boundaryErrors(from, surfaceOf(to)), `${from} -> ${surfaceOf(to)}`).toHaveLength(0);
        expect(await boundaryErrors(from, SAMPLE[to] as string), `${from} -> ${SAMPLE[to]}`).toHaveLength(1);
      }
    }, 60_000);
  }

  it('refuse the host the journal, its state directory and the intake helpers', async () => {
    for (const internal of [
      'main/uploads/journal/state-dir.ts',
      'main/uploads/journal/journal.ts',
      'main/uploads/intake/shard.ts',
      'main/uploads/upload-service.ts',
      'main/exports/export-service.ts',
      'main/engine/create-engine.ts',
    ])
      expect(await boundaryErrors('host', internal), `host -> ${internal}`).toHaveLength(1);
  }, 60_000);

  it('each exist', () => {
    for (const layer of SURFACED) expect(existsSync(join(ROOT, surfaceOf(layer))), layer).toBe(true);
  });
});

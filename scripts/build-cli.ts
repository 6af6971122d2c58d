/**
 * Builds the CLI into one JavaScript bundle (`out/cli/cli.js`) with its npm dependencies left external, and the
 * hashing and walk workers beside it (`out/cli/hash-worker.js`, `out/cli/walk-worker.js`: a worker thread loads each
 * by file). The
 * installed `alegion-uploader` command and the benchmarks run this build: it starts faster and uses less memory than
 * running the TypeScript sources through Node's type stripping.
 */
import { build } from 'vite';

await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node24',
    sourcemap: true,
    rollupOptions: {
      input: {
        cli: 'main/host/cli.ts',
        'hash-worker': 'main/hashing/hash-worker.ts',
        'walk-worker': 'main/uploads/intake/walk-worker.ts',
      },
      output: { entryFileNames: '[name].js', format: 'es' },
    },
  },
});

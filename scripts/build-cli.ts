/**
 * Builds the CLI into one JavaScript bundle (`out/cli/cli.js`) with its npm dependencies left external. The
 * installed `alegion-uploader` command and the benchmarks run this build: it starts faster and uses less memory than
 * running the TypeScript sources through Node's type stripping.
 */
import { build } from 'vite';

await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: 'main/host/cli.ts',
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node24',
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'cli.js', format: 'es' } },
  },
});

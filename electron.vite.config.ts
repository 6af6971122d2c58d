import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/** Builds main (ESM), the sandboxed preload (one CommonJS file) and the React renderer from the top-level folders. */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The hashing and walk workers are their own entries: a worker thread loads each by file, beside index.js.
      lib: {
        entry: {
          index: resolve('main/app/index.ts'),
          'hash-worker': resolve('main/hashing/hash-worker.ts'),
          'walk-worker': resolve('main/uploads/intake/walk-worker.ts'),
        },
        formats: ['es'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      lib: { entry: { index: resolve('preload/index.ts') }, formats: ['cjs'] },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});

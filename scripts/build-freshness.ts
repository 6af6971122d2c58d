/**
 * Whether the app's build (out/) is newer than everything it is built from, so `npm start` can skip a build that
 * would produce the same files (it takes a minute on a small machine). Any doubt (a missing output, an unreadable
 * file) means "build".
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What electron-vite builds from: the sources the bundles import, and the files that configure the build. */
export const BUILD_INPUTS = [
  'main',
  'preload',
  'renderer',
  'common',
  'sandbox',
  'build',
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
];

/** The files every build writes; the app cannot start without any of them. */
export const BUILD_OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/** Newest modification time under a file or folder (0 when it does not exist). */
function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when every output exists and is newer than every input, under `root`. */
export function buildIsFresh(root: string): boolean {
  let oldestOutput = Infinity;
  for (const output of BUILD_OUTPUTS) {
    try {
      oldestOutput = Math.min(oldestOutput, statSync(join(root, output)).mtimeMs);
    } catch {
      return false;
    }
  }
  const newestInput = Math.max(...BUILD_INPUTS.map((input) => newestMtime(join(root, input))));
  return newestInput < oldestOutput;
}

/**
 * Where a worker thread's entry file is: `<name>.ts` beside the calling module when running from the TypeScript
 * sources; in a build, `<name>.js` is its own entry beside the main one, while the calling module may sit in a
 * chunk one folder below. Undefined when neither exists (the caller then does the work on its own thread).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function findWorkerEntry(callerUrl: string, name: string): URL | undefined {
  const file = callerUrl.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`;
  for (const candidate of [new URL(file, callerUrl), new URL(`.${file}`, callerUrl)]) {
    if (candidate.protocol === 'file:' && existsSync(fileURLToPath(candidate))) return candidate;
  }
  return undefined;
}

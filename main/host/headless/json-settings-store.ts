/**
 * The headless host's settings store: one JSON file in the state folder, written atomically (temp file, then
 * rename) with owner-only permissions. It never holds secrets: the engine keeps those in the secret port.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingsStorePort } from '../../engine/index.ts';

/** File name of the settings inside the state folder. */
const SETTINGS_FILE = 'settings.json';

/** Opens (or starts) the settings file in `stateDir`. A corrupt file is kept aside and replaced by defaults. */
export function openJsonSettingsStore(stateDir: string): SettingsStorePort & { readonly path: string } {
  const path = join(stateDir, SETTINGS_FILE);
  let data: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      data = parsed as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      try {
        renameSync(path, `${path}.corrupt-${Date.now()}`);
      } catch {
        // Nothing to keep aside.
      }
    }
  }
  return {
    path,
    get: (key) => data[key],
    set(key, value) {
      data = { ...data, [key]: value };
      const temp = `${path}.tmp`;
      writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, path);
    },
  };
}

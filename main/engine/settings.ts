/**
 * The user's settings: defaults for a fresh install, validated reads (a hand-edited or older file never breaks the
 * app: bad fields fall back to their defaults) and validated patches.
 */
import type { SettingsPatch } from '../../common/api.ts';
import { Settings } from '../../common/api.ts';
import type { SettingsStorePort } from './ports.ts';

const KEY = 'settings';

/** Defaults for a fresh install. */
export function defaultSettings(downloadDir: string): Settings {
  return {
    // Ceilings: the queue adapts under them, so high ones fill a slow link (see DEFAULT_LIMITS of the uploads).
    concurrency: 64,
    putConcurrency: 32,
    bandwidthMBps: 0,
    downloadDir,
    notifications: true,
    theme: 'system',
    autoSyncMinutes: 15,
  };
}

/** Reads settings, keeping each stored field that is valid and defaulting the rest. */
export function readSettings(store: SettingsStorePort, defaults: Settings): Settings {
  const stored = store.get(KEY);
  const merged: Record<string, unknown> = { ...defaults };
  if (stored && typeof stored === 'object') {
    for (const [field, value] of Object.entries(stored)) {
      const schema = Settings.shape[field as keyof Settings];
      if (schema?.safeParse(value).success) merged[field] = value;
    }
  }
  return Settings.parse(merged);
}

/** Applies a validated patch and stores the result. */
export function writeSettings(store: SettingsStorePort, current: Settings, patch: SettingsPatch): Settings {
  const next = Settings.parse({ ...current, ...patch });
  store.set(KEY, next);
  return next;
}

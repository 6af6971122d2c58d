/**
 * The desktop app's settings file: electron-store with a JSON schema per key and migrations between versions. It
 * holds settings, profiles (without secrets), the active profile, and the secrets' ciphertext only.
 */
import Store from 'electron-store';
import type { Schema } from 'electron-store';
import type { SettingsStorePort } from '../engine/ports.ts';

interface StoredShape {
  settings: Record<string, unknown>;
  profiles: Record<string, unknown>[];
  activeProfileId: string | null;
  /** Base64 ciphertext from safeStorage, by secret name. Never plain text. */
  secrets: Record<string, string>;
  autoSync: Record<string, unknown>[];
}

/** One schema per key: a hand-edited file with a wrong type is refused at load instead of crashing the engine. */
export const STORE_SCHEMA: Schema<StoredShape> = {
  settings: {
    type: 'object',
    properties: {
      concurrency: { type: 'integer', minimum: 1, maximum: 64 },
      putConcurrency: { type: 'integer', minimum: 1, maximum: 64 },
      bandwidthMBps: { type: 'number', minimum: 0, maximum: 10000 },
      downloadDir: { type: 'string', maxLength: 4096 },
      notifications: { type: 'boolean' },
      theme: { enum: ['system', 'light', 'dark'] },
      autoSyncMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
      startAtLogin: { type: 'boolean' },
    },
    default: {},
  },
  profiles: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        apiUrl: { type: 'string' },
        username: { type: 'string' },
        isSandbox: { type: 'boolean' },
      },
      required: ['id', 'name', 'apiUrl', 'username', 'isSandbox'],
    },
    default: [],
  },
  activeProfileId: { type: ['string', 'null'], default: null },
  secrets: {
    type: 'object',
    additionalProperties: { type: 'string', contentEncoding: 'base64' },
    default: {},
  },
  autoSync: { type: 'array', default: [] },
};

/** What a migration sees of the store. */
interface MigrationStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  has(key: string): boolean;
  delete(key: string): void;
}

/** Migrations by the version that introduced them (electron-store runs those newer than the file's version). */
export const STORE_MIGRATIONS: Record<string, (store: MigrationStore) => void> = {
  '0.1.0': (store) => {
    // Early builds kept a single `apiUrl` beside the settings; it became a profile.
    const legacyUrl = store.get('apiUrl');
    if (typeof legacyUrl === 'string') {
      const profiles = Array.isArray(store.get('profiles')) ? (store.get('profiles') as unknown[]) : [];
      store.set('profiles', [
        ...profiles,
        { id: 'migrated', name: 'Alegion', apiUrl: legacyUrl, username: '', isSandbox: false },
      ]);
      store.delete('apiUrl');
    }
    // A secret must never sit in plain text: drop any that an early build wrote outside `secrets`.
    for (const key of ['apiKey', 'password']) if (store.has(key)) store.delete(key);
  },
};

/** Opens the app's settings file in the user-data folder (or `cwd` for tests). */
export function openSettingsStore(
  options: { cwd?: string; projectVersion?: string } = {},
): SettingsStorePort & {
  readonly path: string;
} {
  const store = new Store<StoredShape>({
    name: 'settings',
    schema: STORE_SCHEMA,
    migrations: STORE_MIGRATIONS as never,
    clearInvalidConfig: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.projectVersion ? { projectVersion: options.projectVersion } : {}),
  });
  return {
    path: store.path,
    get: (key) => store.get(key as keyof StoredShape),
    set: (key, value) => store.set(key as keyof StoredShape, value as never),
  };
}

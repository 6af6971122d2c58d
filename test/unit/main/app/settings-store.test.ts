/** The settings file's schema and migrations (electron-store itself is replaced: it needs a running Electron). */
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron-store', () => ({
  default: class {
    readonly path = '/fake/settings.json';
    readonly options: unknown;
    constructor(options: unknown) {
      this.options = options;
    }
  },
}));

const { STORE_MIGRATIONS, STORE_SCHEMA, openSettingsStore } =
  await import('../../../../main/app/settings-store.ts');

function migrationStore(initial: Record<string, unknown>) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (k: string) => data.get(k),
    set: (k: string, v: unknown) => void data.set(k, v),
    has: (k: string) => data.has(k),
    delete: (k: string) => void data.delete(k),
  };
}

describe('STORE_SCHEMA', () => {
  const ajv = new Ajv2020({ strict: false });
  const validate = ajv.compile({ type: 'object', properties: STORE_SCHEMA });

  it('accepts valid settings and profiles', () => {
    expect(
      validate({
        settings: { concurrency: 8, theme: 'dark' },
        profiles: [
          { id: 'a', name: 'A', apiUrl: 'https://api.alegion.com/v1', username: 'u', isSandbox: false },
        ],
        activeProfileId: null,
        secrets: { 'a.apiKey': 'ZW5j' },
      }),
    ).toBe(true);
  });

  it('refuses out-of-range settings and malformed profiles', () => {
    expect(validate({ settings: { concurrency: 0 } })).toBe(false);
    expect(validate({ settings: { theme: 'neon' } })).toBe(false);
    expect(validate({ profiles: [{ id: 'a' }] })).toBe(false);
    expect(validate({ secrets: { x: 42 } })).toBe(false);
  });
});

describe('STORE_MIGRATIONS', () => {
  it('turns a legacy apiUrl into a profile and drops plain-text secrets', () => {
    const store = migrationStore({
      apiUrl: 'https://api.alegion.com/v1',
      apiKey: 'plain-key',
      password: 'plain-pw',
    });
    STORE_MIGRATIONS['0.1.0']!(store);
    expect(store.data.has('apiUrl')).toBe(false);
    expect(store.data.has('apiKey')).toBe(false);
    expect(store.data.has('password')).toBe(false);
    expect(store.data.get('profiles')).toEqual([
      {
        id: 'migrated',
        name: 'Alegion',
        apiUrl: 'https://api.alegion.com/v1',
        username: '',
        isSandbox: false,
      },
    ]);
  });

  it('leaves a current file alone', () => {
    const profiles = [{ id: 'a', name: 'A', apiUrl: 'https://x/v1', username: 'u', isSandbox: false }];
    const store = migrationStore({ profiles });
    STORE_MIGRATIONS['0.1.0']!(store);
    expect([...store.data.entries()]).toEqual([['profiles', profiles]]);
  });
});

describe('openSettingsStore', () => {
  it('opens electron-store with the schema, the migrations and invalid files cleared', () => {
    const opened = openSettingsStore({ cwd: '/tmp/x', projectVersion: '0.1.0' }) as unknown as {
      path: string;
    };
    expect(opened.path).toBe('/fake/settings.json');
  });
});

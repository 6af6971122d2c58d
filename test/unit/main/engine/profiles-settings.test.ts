/** Profiles keep secrets out of the settings store; settings survive bad stored values and refuse bad patches. */
import { describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../../main/host/headless/memory-secret-store.ts';
import { apiKeyHint, createProfileStore } from '../../../../main/engine/profiles.ts';
import { defaultSettings, readSettings, writeSettings } from '../../../../main/engine/settings.ts';

function mapStore(initial: Record<string, unknown> = {}) {
  const data = new Map(Object.entries(initial));
  return { data, get: (k: string) => data.get(k), set: (k: string, v: unknown) => void data.set(k, v) };
}

describe('profiles', () => {
  it('stores secrets in the secret store only, and shows a hint of the key', async () => {
    const settings = mapStore();
    const secrets = createMemorySecretStore();
    const profiles = createProfileStore(settings, secrets);
    const record = await profiles.save({
      name: 'Acme',
      apiUrl: 'https://api.alegion.com/v1',
      username: 'ops',
      apiKey: 'key-0123456789abcd',
      password: 'pw-secret-1',
    });
    expect(JSON.stringify([...settings.data])).not.toMatch(/key-0123456789abcd|pw-secret-1/);
    expect(await secrets.get(`${record.id}.apiKey`)).toBe('key-0123456789abcd');
    const view = await profiles.view(record);
    expect(view).toMatchObject({ apiKeyHint: '••••abcd', hasPassword: true, secretsPersisted: false });
    expect(JSON.stringify(view)).not.toContain('pw-secret-1');
    expect(profiles.knownSecrets()).toEqual(expect.arrayContaining(['key-0123456789abcd', 'pw-secret-1']));
  });

  it('keeps stored secrets when an edit leaves them empty, and requires them for a new profile', async () => {
    const profiles = createProfileStore(mapStore(), createMemorySecretStore());
    await expect(
      profiles.save({ name: 'A', apiUrl: 'https://x/v1', username: 'u', password: 'p' }),
    ).rejects.toMatchObject({ code: 'missing-api-key' });
    const record = await profiles.save({
      name: 'A',
      apiUrl: 'https://x/v1',
      username: 'u',
      apiKey: 'k-123456789012',
      password: 'p-1',
    });
    await profiles.save({ id: record.id, name: 'B', apiUrl: 'https://x/v1', username: 'u' });
    expect(await profiles.credentials(record.id)).toEqual({
      apiKey: 'k-123456789012',
      password: 'p-1',
      username: 'u',
    });
    expect(profiles.list()).toEqual([expect.objectContaining({ id: record.id, name: 'B' })]);
  });

  it('removes a profile and its secrets', async () => {
    const secrets = createMemorySecretStore();
    const profiles = createProfileStore(mapStore(), secrets);
    const record = await profiles.save({
      name: 'A',
      apiUrl: 'https://x/v1',
      username: 'u',
      apiKey: 'k-123456789012',
      password: 'p-1',
    });
    await profiles.remove(record.id);
    expect(profiles.list()).toEqual([]);
    expect(await secrets.get(`${record.id}.apiKey`)).toBeUndefined();
    await expect(profiles.remove(record.id)).rejects.toMatchObject({ code: 'profile-not-found' });
  });

  it('refuses to edit the sandbox profile', async () => {
    const profiles = createProfileStore(mapStore(), createMemorySecretStore());
    await profiles.saveSandbox('http://127.0.0.1:1/v1', {
      apiKey: 'sbx-key-123456',
      username: 'sandbox',
      password: 'sbx-pw',
    });
    await expect(
      profiles.save({ id: 'sandbox', name: 'S', apiUrl: 'https://x/v1', username: 'u' }),
    ).rejects.toMatchObject({ code: 'sandbox-profile' });
  });

  it('says why secrets must be entered again on a host that does not keep them', async () => {
    const settings = mapStore();
    const first = createProfileStore(settings, createMemorySecretStore());
    const record = await first.save({
      name: 'Acme',
      apiUrl: 'https://x/v1',
      username: 'u',
      apiKey: 'k-123456789012',
      password: 'p-1',
    });
    const afterRestart = createProfileStore(settings, createMemorySecretStore());
    expect(await afterRestart.view(record)).toMatchObject({
      secretsPersisted: false,
      secretsNote: expect.stringContaining('memory only'),
    });
    await expect(afterRestart.credentials(record.id)).rejects.toMatchObject({
      code: 'secrets-not-kept',
      message: expect.stringContaining('"Acme" again'),
    });
  });

  it('hints nothing of a short key', () => {
    expect(apiKeyHint('short')).toBe('saved');
    expect(apiKeyHint(undefined)).toBeNull();
  });
});

describe('settings', () => {
  const defaults = defaultSettings('/home/u/Downloads/Alegion');

  it('keeps valid stored fields and defaults the invalid ones', () => {
    const store = mapStore({
      settings: { concurrency: 3, theme: 'neon', bandwidthMBps: -1, notifications: false },
    });
    expect(readSettings(store, defaults)).toEqual({ ...defaults, concurrency: 3, notifications: false });
  });

  it('applies a valid patch and refuses an invalid one without writing', () => {
    const store = mapStore();
    const next = writeSettings(store, defaults, { putConcurrency: 2 });
    expect(next.putConcurrency).toBe(2);
    expect(store.data.get('settings')).toEqual(next);
    expect(() => writeSettings(store, next, { concurrency: 0 })).toThrow();
    expect(store.data.get('settings')).toEqual(next);
  });
});

/**
 * Stored secrets are bound to the origin of the API URL they were entered for: a save with a new origin drops
 * them, and neither connect nor a connection test sends them anywhere else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../main/engine/create-engine.ts';
import { createProfileStore } from '../../../../main/engine/profiles.ts';
import { createMemorySecretStore } from '../../../../main/host/headless/memory-secret-store.ts';
import { engineWith, mapSettings, recordingServices } from './recording-services.ts';

const KEY = 'key-0123456789abcd';
const PASSWORD = 'pw-secret-1';
const acme = { name: 'Acme', apiUrl: 'https://api.acme.example/v1', username: 'ops' };

describe('the profile store', () => {
  it('drops the stored key and password when the API URL moves to another origin', async () => {
    const secrets = createMemorySecretStore();
    const profiles = createProfileStore(mapSettings(), secrets);
    const record = await profiles.save({ ...acme, apiKey: KEY, password: PASSWORD });
    await profiles.save({ ...acme, id: record.id, apiUrl: 'https://api.acme.example:8443/v1' });
    expect(await secrets.get(`${record.id}.apiKey`)).toBeUndefined();
    expect(await secrets.get(`${record.id}.password`)).toBeUndefined();
    expect(await profiles.view(profiles.get(record.id))).toMatchObject({
      apiKeyHint: null,
      hasPassword: false,
    });
  });

  it('keeps them for a new path on the same origin, and takes new ones typed with the new origin', async () => {
    const secrets = createMemorySecretStore();
    const profiles = createProfileStore(mapSettings(), secrets);
    const record = await profiles.save({ ...acme, apiKey: KEY, password: PASSWORD });
    await profiles.save({ ...acme, id: record.id, apiUrl: 'https://API.acme.example/v2' });
    expect(await profiles.credentials(record.id)).toEqual({
      apiKey: KEY,
      password: PASSWORD,
      username: 'ops',
    });
    await profiles.save({
      ...acme,
      id: record.id,
      apiUrl: 'http://other.example/v1',
      apiKey: 'k2-123456789012',
      password: 'p2',
    });
    expect(await profiles.credentials(record.id)).toEqual({
      apiKey: 'k2-123456789012',
      password: 'p2',
      username: 'ops',
    });
  });

  it('never hands stored secrets out for a request to another origin', async () => {
    const settings = mapSettings();
    const profiles = createProfileStore(settings, createMemorySecretStore());
    const record = await profiles.save({ ...acme, apiKey: KEY, password: PASSWORD });
    await expect(profiles.credentials(record.id, {}, 'https://evil.example/v1')).rejects.toMatchObject({
      code: 'secrets-for-other-origin',
      message: expect.stringMatching(
        /entered for https:\/\/api\.acme\.example.*type them again to use https:\/\/evil\.example/,
      ),
    });
    // A record whose URL was changed behind the store's back (a hand-edited settings file) is refused too.
    const [stored] = settings.get('profiles') as { apiUrl: string }[];
    settings.set('profiles', [{ ...stored, apiUrl: 'https://evil.example/v1' }]);
    await expect(profiles.credentials(record.id)).rejects.toMatchObject({ code: 'secrets-for-other-origin' });
  });
});

describe('the engine', () => {
  let engine: Engine | null = null;
  afterEach(async () => {
    await engine?.close();
    engine = null;
  });

  it('connects with the secrets to their own origin, and sends them nowhere after the URL is edited', async () => {
    const { services, clients } = recordingServices();
    engine = await engineWith(createMemorySecretStore(), services);
    const view = await engine.saveProfile({ ...acme, apiKey: KEY, password: PASSWORD });
    await engine.connect(view.id);
    expect(clients.at(-1)).toMatchObject({ baseUrl: acme.apiUrl, apiKey: KEY, password: PASSWORD });

    const edited = await engine.saveProfile({ ...acme, id: view.id, apiUrl: 'https://evil.example/v1' });
    expect(edited).toMatchObject({ apiKeyHint: null, hasPassword: false });
    // Dropped: connect asks for them (in the words of the store: kept in memory only here, or simply required).
    await expect(engine.connect(view.id)).rejects.toMatchObject({
      code: expect.stringMatching(/^(secrets-not-kept|missing-api-key)$/),
      message: expect.stringContaining('API key'),
    });
    const tested = await engine.testConnection({ ...acme, id: view.id, apiUrl: 'https://evil2.example/v1' });
    expect(tested).toMatchObject({ ok: false });
    expect(clients.filter((c) => c.baseUrl.includes('evil'))).toEqual([]);
    expect(JSON.stringify(clients.slice(1))).not.toMatch(new RegExp(`${KEY}|${PASSWORD}`));
  });

  it('a connection test of a saved profile against a new origin asks for the secrets, naming both origins', async () => {
    const { services, clients } = recordingServices();
    engine = await engineWith(createMemorySecretStore(), services);
    const view = await engine.saveProfile({ ...acme, apiKey: KEY, password: PASSWORD });
    const tested = await engine.testConnection({ ...acme, id: view.id, apiUrl: 'https://evil.example/v1' });
    expect(tested).toMatchObject({ ok: false, code: 'secrets-for-other-origin' });
    expect(tested.message).toContain('https://evil.example');
    expect(clients).toEqual([]);
    // The same test on the profile's own origin uses them.
    expect(await engine.testConnection({ ...acme, id: view.id })).toMatchObject({ ok: true });
    expect(clients.at(-1)).toMatchObject({ baseUrl: acme.apiUrl, apiKey: KEY });
  });
});

/**
 * The desktop path of origin-bound secrets: a renderer (compromised or not) drives the real engine through the IPC
 * handlers, over the keychain-backed secret store. Editing a profile's API URL and connecting, the two calls that
 * once sent the stored key and password to any host, leaves the new host without them and the keychain emptied.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../main/engine/create-engine.ts';
import { handleInvoke } from '../../../../main/app/ipc.ts';
import { createSecretStore } from '../../../../main/app/secret-store.ts';
import type { SafeStoragePort } from '../../../../main/app/secret-store.ts';
import { engineWith, mapSettings, recordingServices } from '../engine/recording-services.ts';

const KEY = 'key-0123456789abcd';
const PASSWORD = 'pw-secret-1';
const appFrame = { senderFrame: { url: 'app://renderer/index.html', parent: null } } as unknown as Parameters<
  typeof handleInvoke
>[2];

/** A keychain stand-in: ciphertext is the text reversed and tagged, so plain text never lands in settings. */
const keychain = {
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptStringAsync: async (text: string) => Buffer.from(`enc:${[...text].reverse().join('')}`),
  decryptStringAsync: async (buffer: Buffer) => ({
    result: [...buffer.toString().replace(/^enc:/, '')].reverse().join(''),
    shouldReEncrypt: false,
  }),
} as unknown as SafeStoragePort;

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

describe('desktop: secrets bound to their origin', () => {
  it('a renderer that edits the API URL and connects never gets the stored secrets sent to the new host', async () => {
    const settings = mapSettings();
    const { services, clients } = recordingServices();
    const secrets = await createSecretStore(keychain, settings, 'linux');
    expect(secrets.persisted).toBe(true);
    engine = await engineWith(secrets, services, { settings });
    const call = (method: string, ...args: unknown[]) => handleInvoke(engine!, method, appFrame, args);

    const saved = await call('saveProfile', {
      name: 'Acme',
      apiUrl: 'https://api.acme.example/v1',
      username: 'ops',
      apiKey: KEY,
      password: PASSWORD,
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const id = (saved.value as { id: string }).id;
    expect(Object.keys(settings.get('secrets') as object)).toEqual([`${id}.apiKey`, `${id}.password`]);

    const edited = await call('saveProfile', {
      id,
      name: 'Acme',
      apiUrl: 'https://collector.evil.example/v1',
      username: 'ops',
    });
    expect(edited).toMatchObject({ ok: true, value: { apiKeyHint: null, hasPassword: false } });
    const connected = await call('connect', id);
    expect(connected).toMatchObject({ ok: false, error: { code: 'missing-api-key' } });
    const tested = await call('testConnection', {
      id,
      name: 'Acme',
      apiUrl: 'https://x.evil.example/',
      username: 'ops',
    });
    expect(tested).toMatchObject({ ok: true, value: { ok: false } });

    expect(clients).toEqual([]);
    // The keychain holds nothing for the profile any more: a restart cannot bring the secrets back either.
    expect(settings.get('secrets')).toEqual({});
  });
});

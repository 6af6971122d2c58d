/** Secrets through safeStorage: ciphertext only in the settings file, and nothing at all without a keyring. */
import { describe, expect, it } from 'vitest';
import { createSecretStore, NO_KEYRING_REASON } from '../../../../main/app/secret-store.ts';
import type { SafeStoragePort } from '../../../../main/app/secret-store.ts';

/** A fake keychain: "encrypts" by reversing and tagging, so plain text never equals the ciphertext. */
function fakeSafeStorage(backend: string, available = true, reEncrypt = false) {
  const decrypts: string[] = [];
  const storage = {
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (text: string) => Buffer.from(`enc:${[...text].reverse().join('')}`),
    decryptStringAsync: async (buffer: Buffer) => {
      const text = buffer.toString().replace(/^enc:/, '');
      decrypts.push(text);
      return { result: [...text].reverse().join(''), shouldReEncrypt: reEncrypt };
    },
  };
  return { storage: storage as unknown as SafeStoragePort, decrypts };
}

function mapStore() {
  const data = new Map<string, unknown>();
  return { data, get: (k: string) => data.get(k), set: (k: string, v: unknown) => void data.set(k, v) };
}

describe('createSecretStore', () => {
  it('stores only ciphertext in the settings file when a keyring exists', async () => {
    const store = mapStore();
    const { storage } = fakeSafeStorage('gnome_libsecret');
    const secrets = await createSecretStore(storage, store, 'linux');
    expect(secrets.persisted).toBe(true);
    await secrets.set('p1.apiKey', 'my-api-key-1234');
    const file = JSON.stringify([...store.data]);
    expect(file).not.toContain('my-api-key-1234');
    expect(Object.keys(store.data.get('secrets') as object)).toEqual(['p1.apiKey']);
    // A fresh store (next launch) decrypts it back.
    const reopened = await createSecretStore(storage, store, 'linux');
    expect(await reopened.get('p1.apiKey')).toBe('my-api-key-1234');
  });

  it('keeps secrets in memory only on the basic_text backend, and says why', async () => {
    const store = mapStore();
    const { storage } = fakeSafeStorage('basic_text');
    const secrets = await createSecretStore(storage, store, 'linux');
    expect(secrets.persisted).toBe(false);
    expect(secrets.reason).toBe(NO_KEYRING_REASON);
    await secrets.set('p1.password', 'hunter2-password');
    expect(await secrets.get('p1.password')).toBe('hunter2-password');
    expect(store.data.size).toBe(0);
    const reopened = await createSecretStore(storage, store, 'linux');
    expect(await reopened.get('p1.password')).toBeUndefined();
  });

  it('does not persist when encryption is unavailable at all', async () => {
    const { storage } = fakeSafeStorage('unknown', false);
    const secrets = await createSecretStore(storage, mapStore(), 'win32');
    expect(secrets.persisted).toBe(false);
    expect(secrets.reason).toMatch(/no secure storage/);
  });

  it('re-encrypts when the keychain asks to, and deletes', async () => {
    const store = mapStore();
    const first = await createSecretStore(fakeSafeStorage('kwallet5').storage, store, 'linux');
    await first.set('p1.apiKey', 'rotate-me-please');
    const before = (store.data.get('secrets') as Record<string, string>)['p1.apiKey'];
    const rotating = fakeSafeStorage('kwallet5', true, true);
    const second = await createSecretStore(rotating.storage, store, 'linux');
    expect(await second.get('p1.apiKey')).toBe('rotate-me-please');
    expect((store.data.get('secrets') as Record<string, string>)['p1.apiKey']).toBe(before);
    expect(rotating.decrypts).toHaveLength(1);
    await second.delete('p1.apiKey');
    expect(store.data.get('secrets')).toEqual({});
    expect(await second.get('p1.apiKey')).toBeUndefined();
  });
});

/**
 * Secrets (API keys, passwords) through safeStorage's async API: encrypted by the OS keychain, with only the
 * ciphertext written to the settings file. On Linux's `basic_text` backend (no keyring), encryption would be a
 * fixed key in the binary, so secrets are kept in memory for the session instead, and the user is told why.
 */
import type { SafeStorage } from 'electron';
import type { SecretStorePort, SettingsStorePort } from '../engine/ports.ts';

const KEY = 'secrets';

/** Why secrets are not kept on a system without a keyring. */
export const NO_KEYRING_REASON =
  'no system keyring is available (Linux "basic_text" storage): the API key and password are kept only until the app quits';

export type SafeStoragePort = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

/** Decides whether secrets can be persisted on this system, and why not. */
async function secretPersistence(
  safeStorage: SafeStoragePort,
  platform: NodeJS.Platform,
): Promise<{ persisted: boolean; reason: string | null }> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    return {
      persisted: false,
      reason: 'the system offers no secure storage: secrets are kept until the app quits',
    };
  }
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return { persisted: false, reason: NO_KEYRING_REASON };
  }
  return { persisted: true, reason: null };
}

/** Creates the secret store over safeStorage and the settings file. */
export async function createSecretStore(
  safeStorage: SafeStoragePort,
  store: SettingsStorePort,
  platform: NodeJS.Platform = process.platform,
): Promise<SecretStorePort> {
  const { persisted, reason } = await secretPersistence(safeStorage, platform);
  const memory = new Map<string, string>();
  const ciphertexts = (): Record<string, string> => {
    const value = store.get(KEY);
    return value && typeof value === 'object' ? { ...(value as Record<string, string>) } : {};
  };
  const writeCipher = async (name: string, value: string): Promise<void> => {
    const encrypted = await safeStorage.encryptStringAsync(value);
    store.set(KEY, { ...ciphertexts(), [name]: encrypted.toString('base64') });
  };

  return {
    persisted,
    reason,
    async get(name) {
      const cached = memory.get(name);
      if (cached !== undefined || !persisted) return cached;
      const stored = ciphertexts()[name];
      if (!stored) return undefined;
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(
          Buffer.from(stored, 'base64'),
        );
        memory.set(name, result);
        if (shouldReEncrypt) await writeCipher(name, result);
        return result;
      } catch {
        // The keyring changed (another user, a reset): the secret is gone, the user enters it again.
        return undefined;
      }
    },
    async set(name, value) {
      memory.set(name, value);
      if (persisted) await writeCipher(name, value);
    },
    async delete(name) {
      memory.delete(name);
      const all = ciphertexts();
      if (name in all) {
        delete all[name];
        store.set(KEY, all);
      }
    },
  };
}

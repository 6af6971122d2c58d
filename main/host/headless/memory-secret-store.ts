/**
 * The headless host's secret store: memory only. A server has no OS keychain the app can rely on, so the API key
 * and password are asked for again after a restart, and the user is told so.
 */
import type { SecretStorePort } from '../../engine/index.ts';

/** Why secrets are not persisted on this host (shown beside the profile). */
const HEADLESS_SECRETS_REASON =
  'the headless host keeps the API key and password in memory only: enter them again after a restart';

/** Creates an in-memory secret store. */
export function createMemorySecretStore(reason: string = HEADLESS_SECRETS_REASON): SecretStorePort {
  const values = new Map<string, string>();
  return {
    persisted: false,
    reason,
    get: async (name) => values.get(name),
    set: async (name, value) => {
      values.set(name, value);
    },
    delete: async (name) => {
      values.delete(name);
    },
  };
}

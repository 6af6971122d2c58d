/**
 * Saved connection profiles. The profile list lives in the settings store; the API key and password live in the
 * secret store only, and the renderer sees a hint of the key and whether a password is set, never the values.
 *
 * Stored secrets are bound to the origin of the API URL they were entered for: saving a profile with another
 * origin drops them (unless new ones are typed in the same save), and no stored secret is ever handed out for a
 * request to another origin. Otherwise editing only the URL (or a compromised renderer doing so) would send the key
 * and password to whatever host the new URL names.
 */
import { randomUUID } from 'node:crypto';
import type { ProfileInput, ProfileView } from '../../common/api.ts';
import type { AlegionCredentials } from '../alegion/types.ts';
import { EngineError } from './errors.ts';
import type { SecretStorePort, SettingsStorePort } from './ports.ts';

/** What is stored per profile (no secrets). */
export interface ProfileRecord {
  id: string;
  name: string;
  apiUrl: string;
  username: string;
  isSandbox: boolean;
  /** The origin the stored secrets were entered for (absent in profiles saved before: their URL's origin). */
  secretsOrigin?: string;
}

const KEY = 'profiles';

/** The origin of an API URL (scheme, host and port), the unit secrets are bound to. */
function originOf(apiUrl: string): string {
  try {
    return new URL(apiUrl).origin;
  } catch {
    return apiUrl;
  }
}

/** The origin a record's stored secrets belong to. */
function boundOrigin(record: ProfileRecord): string {
  return record.secretsOrigin ?? originOf(record.apiUrl);
}

/** Why stored secrets were not used for `apiUrl`: a sentence the profile form shows beside the fields. */
function secretsForOtherOriginMessage(record: ProfileRecord, apiUrl: string): string {
  return (
    `the API key and password saved for "${record.name}" were entered for ${boundOrigin(record)}, ` +
    `and are sent only there: type them again to use ${originOf(apiUrl)}`
  );
}
/** The embedded sandbox's profile has a fixed id, so it is created once. */
export const SANDBOX_PROFILE_ID = 'sandbox';

/**
 * Shows enough of a key to recognise it: the last four characters of a long key. Of a short one (under 12) four
 * characters would give too much away, so it only says one is saved, rather than a bare "••••" that reads as
 * something missing.
 */
export function apiKeyHint(apiKey: string | undefined): string | null {
  if (!apiKey) return null;
  return apiKey.length >= 12 ? `••••${apiKey.slice(-4)}` : 'saved';
}

function isRecord(value: unknown): value is ProfileRecord {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    typeof v.apiUrl === 'string' &&
    typeof v.username === 'string' &&
    typeof v.isSandbox === 'boolean' &&
    (v.secretsOrigin === undefined || typeof v.secretsOrigin === 'string')
  );
}

export interface ProfileStore {
  list(): ProfileRecord[];
  get(id: string): ProfileRecord;
  view(record: ProfileRecord): Promise<ProfileView>;
  save(input: ProfileInput): Promise<ProfileRecord>;
  /** Creates or updates the sandbox profile with this launch's address and credentials. */
  saveSandbox(apiUrl: string, credentials: AlegionCredentials): Promise<ProfileRecord>;
  remove(id: string): Promise<void>;
  /**
   * Credentials for a request to `apiUrl` (default: the profile's own), typed-in values taking precedence over
   * stored ones. Stored secrets are used only when `apiUrl` has the origin they were entered for.
   */
  credentials(
    id: string | undefined,
    typed?: Partial<AlegionCredentials>,
    apiUrl?: string,
  ): Promise<AlegionCredentials>;
  /** Every secret known this session (for redaction). */
  knownSecrets(): string[];
}

/** Creates the profile store over the settings and secret ports. */
export function createProfileStore(settings: SettingsStorePort, secrets: SecretStorePort): ProfileStore {
  const known = new Set<string>();
  // The sandbox's credentials are made up per launch and never persisted.
  const sandboxSecrets = new Map<string, string>();

  const read = (): ProfileRecord[] => {
    const stored = settings.get(KEY);
    return Array.isArray(stored) ? stored.filter(isRecord) : [];
  };
  const write = (records: ProfileRecord[]): void => settings.set(KEY, records);
  const secretGet = async (
    record: ProfileRecord,
    field: 'apiKey' | 'password',
  ): Promise<string | undefined> => {
    const value = record.isSandbox ? sandboxSecrets.get(field) : await secrets.get(`${record.id}.${field}`);
    if (value) known.add(value);
    return value;
  };
  const get = (id: string): ProfileRecord => {
    const record = read().find((p) => p.id === id);
    if (!record) throw new EngineError('profile-not-found', `no saved profile with id "${id}"`);
    return record;
  };

  return {
    list: read,
    get,
    async view(record) {
      const apiKey = await secretGet(record, 'apiKey');
      const password = await secretGet(record, 'password');
      return {
        id: record.id,
        name: record.name,
        apiUrl: record.apiUrl,
        username: record.username,
        isSandbox: record.isSandbox,
        apiKeyHint: apiKeyHint(apiKey),
        hasPassword: Boolean(password),
        secretsPersisted: record.isSandbox ? true : secrets.persisted,
        ...(!record.isSandbox && !secrets.persisted && secrets.reason ? { secretsNote: secrets.reason } : {}),
      };
    },
    async save(input) {
      const records = read();
      const existing = input.id ? records.find((p) => p.id === input.id) : undefined;
      if (input.id && !existing)
        throw new EngineError('profile-not-found', `no saved profile with id "${input.id}"`);
      if (existing?.isSandbox)
        throw new EngineError('sandbox-profile', 'the sandbox profile is managed by the app');
      if (!existing && !input.apiKey) throw new EngineError('missing-api-key', 'an API key is required');
      if (!existing && !input.password) throw new EngineError('missing-password', 'a password is required');
      const origin = originOf(input.apiUrl);
      const record: ProfileRecord = {
        id: existing?.id ?? randomUUID(),
        name: input.name,
        apiUrl: input.apiUrl,
        username: input.username,
        isSandbox: false,
        secretsOrigin: origin,
      };
      if (existing && boundOrigin(existing) !== origin) {
        // A new origin: the stored secrets were meant for the old one, so they go; the form asks for them again.
        if (!input.apiKey) await secrets.delete(`${record.id}.apiKey`);
        if (!input.password) await secrets.delete(`${record.id}.password`);
      }
      if (input.apiKey) {
        known.add(input.apiKey);
        await secrets.set(`${record.id}.apiKey`, input.apiKey);
      }
      if (input.password) {
        known.add(input.password);
        await secrets.set(`${record.id}.password`, input.password);
      }
      write(existing ? records.map((p) => (p.id === record.id ? record : p)) : [...records, record]);
      return record;
    },
    async saveSandbox(apiUrl, credentials) {
      sandboxSecrets.set('apiKey', credentials.apiKey);
      sandboxSecrets.set('password', credentials.password);
      known.add(credentials.apiKey);
      known.add(credentials.password);
      const record: ProfileRecord = {
        id: SANDBOX_PROFILE_ID,
        name: 'Sandbox',
        apiUrl,
        username: credentials.username,
        isSandbox: true,
        secretsOrigin: originOf(apiUrl),
      };
      const records = read().filter((p) => p.id !== SANDBOX_PROFILE_ID);
      write([record, ...records]);
      return record;
    },
    async remove(id) {
      const record = get(id);
      write(read().filter((p) => p.id !== id));
      if (!record.isSandbox) {
        await secrets.delete(`${id}.apiKey`);
        await secrets.delete(`${id}.password`);
      }
    },
    async credentials(id, typed = {}, apiUrl) {
      const record = id ? get(id) : undefined;
      const target = apiUrl ?? record?.apiUrl;
      const storedUsable =
        record !== undefined && target !== undefined && originOf(target) === boundOrigin(record);
      if (record && !storedUsable && (!typed.apiKey || !typed.password)) {
        throw new EngineError('secrets-for-other-origin', secretsForOtherOriginMessage(record, target ?? ''));
      }
      const apiKey = typed.apiKey || (storedUsable ? await secretGet(record, 'apiKey') : undefined);
      const password = typed.password || (storedUsable ? await secretGet(record, 'password') : undefined);
      const username = typed.username || record?.username;
      if (typed.apiKey) known.add(typed.apiKey);
      if (typed.password) known.add(typed.password);
      if (record && !secrets.persisted && (!apiKey || !password)) {
        // The profile was saved in an earlier session on a host that keeps secrets in memory only.
        throw new EngineError(
          'secrets-not-kept',
          `enter the API key and password of "${record.name}" again: ${secrets.reason ?? 'they are not stored on this system'}`,
        );
      }
      if (!apiKey) throw new EngineError('missing-api-key', 'an API key is required');
      if (!password) throw new EngineError('missing-password', 'a password is required');
      if (!username) throw new EngineError('missing-username', 'a username is required');
      return { apiKey, password, username };
    },
    knownSecrets: () => [...known],
  };
}

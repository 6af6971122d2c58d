/**
 * The live connection: which profile is connected, its client, and the embedded sandbox when that is the target.
 * Every state change is announced as `connectionChanged`. Credentials are asked of the profile store for the very
 * URL the client will call, so stored secrets never reach an origin they were not entered for.
 */
import { randomBytes } from 'node:crypto';
import { DISCONNECTED } from '../../common/api.ts';
import type { ConnectionState, ConnectionTestResult, ProfileInput } from '../../common/api.ts';
import { AlegionError } from '../alegion/errors.ts';
import type { AlegionClient, AlegionCredentials, ClientEvent } from '../alegion/types.ts';
import { EngineError } from './errors.ts';
import type { EventHub } from './events.ts';
import type { EmbeddedSandbox, ServicePorts } from './ports.ts';
import { SANDBOX_PROFILE_ID } from './profiles.ts';
import type { ProfileRecord, ProfileStore } from './profiles.ts';

interface ConnectionManager {
  state(): ConnectionState;
  /** The connected client; throws `not-connected` with a sentence when there is none. */
  client(): AlegionClient;
  /** The connected client, or null. */
  current(): { client: AlegionClient; profile: ProfileRecord } | null;
  test(input: ProfileInput): Promise<ConnectionTestResult>;
  connect(profileId: string): Promise<ConnectionState>;
  disconnect(): Promise<ConnectionState>;
  startSandbox(): Promise<ConnectionState>;
  /** Called with the new client (or null) whenever the connection changes. */
  onClient(listener: (client: AlegionClient | null, profile: ProfileRecord | null) => void): () => void;
  /** Called with what the connected client reports (its retries, its logins), for the upload service to hear. */
  onClientEvent(listener: (event: ClientEvent) => void): () => void;
  close(): Promise<void>;
}

/** Counts workflows cheaply, or by walking the list when the count header is missing. */
async function countWorkflows(client: AlegionClient): Promise<number> {
  return client.listWorkflows().count();
}

/** Creates the connection manager. */
export function createConnectionManager(
  services: ServicePorts,
  profiles: ProfileStore,
  hub: EventHub,
  settings: { get(key: string): unknown; set(key: string, value: unknown): void },
): ConnectionManager {
  let state: ConnectionState = DISCONNECTED;
  let live: { client: AlegionClient; profile: ProfileRecord } | null = null;
  let sandbox: EmbeddedSandbox | null = null;
  let sandboxStarting: Promise<ProfileRecord> | null = null;
  let generation = 0;
  const clientListeners = new Set<(client: AlegionClient | null, profile: ProfileRecord | null) => void>();
  const eventListeners = new Set<(event: ClientEvent) => void>();

  const setState = (next: ConnectionState): ConnectionState => {
    state = next;
    hub.emit('connectionChanged', next);
    return next;
  };
  const setLive = (next: typeof live): void => {
    const previous = live?.client as OwnedClient | undefined;
    live = next;
    if (previous && previous !== next?.client) previous.close?.();
    for (const listener of clientListeners) listener(next?.client ?? null, next?.profile ?? null);
  };
  const baseState = (profile: ProfileRecord): Omit<ConnectionState, 'status'> => ({
    profileId: profile.id,
    profileName: profile.name,
    apiUrl: profile.apiUrl,
    isSandbox: profile.isSandbox,
  });
  type OwnedClient = AlegionClient & { close?(): void };
  // Only the live client's events are passed on: the upload service works over that client, and the retries of
  // a client still being verified, or of one already dropped, say nothing of the load it puts on the platform.
  const makeClient = (apiUrl: string, credentials: AlegionCredentials, quick = false): OwnedClient => {
    const client: OwnedClient = services.createClient({
      baseUrl: apiUrl,
      ...credentials,
      ...(quick
        ? { retries: 1, timeoutMs: 15_000 }
        : {
            onEvent: (event: ClientEvent) => {
              if (live?.client !== client) return;
              for (const listener of eventListeners) listener(event);
            },
          }),
    });
    return client;
  };

  const ensureSandbox = (): Promise<ProfileRecord> => {
    if (sandbox) return Promise.resolve(profiles.get(SANDBOX_PROFILE_ID));
    sandboxStarting ??= (async () => {
      const credentials = {
        apiKey: `sbx-${randomBytes(18).toString('hex')}`,
        username: 'sandbox',
        password: randomBytes(12).toString('hex'),
      };
      sandbox = await services.startSandbox(credentials);
      return profiles.saveSandbox(sandbox.baseUrl, credentials);
    })().finally(() => {
      sandboxStarting = null;
    });
    return sandboxStarting;
  };

  const connect = async (profileId: string): Promise<ConnectionState> => {
    const mine = ++generation;
    let profile = profiles.get(profileId);
    setState({ status: 'connecting', ...baseState(profile) });
    try {
      if (profile.isSandbox) profile = await ensureSandbox();
      const client = makeClient(profile.apiUrl, await profiles.credentials(profile.id, {}, profile.apiUrl));
      try {
        await client.verify();
      } catch (error) {
        client.close?.();
        throw error;
      }
      if (mine !== generation) {
        client.close?.();
        return state;
      }
      settings.set('activeProfileId', profile.id);
      setLive({ client, profile });
      return setState({ status: 'connected', ...baseState(profile) });
    } catch (error) {
      if (mine !== generation) return state;
      setLive(null);
      const message =
        error instanceof AlegionError || error instanceof EngineError ? error.message : 'could not connect';
      setState({ status: 'error', ...baseState(profile), message });
      throw error;
    }
  };

  return {
    state: () => state,
    client() {
      if (!live)
        throw new EngineError('not-connected', 'not connected: choose a profile or try the sandbox first');
      return live.client;
    },
    current: () => live,
    async test(input) {
      try {
        const stored = input.id ? profiles.get(input.id) : undefined;
        if (stored?.isSandbox) await ensureSandbox();
        const apiUrl = stored?.isSandbox ? profiles.get(SANDBOX_PROFILE_ID).apiUrl : input.apiUrl;
        // Stored secrets fill empty fields only for the origin they were entered for (profiles.ts).
        const credentials = await profiles.credentials(stored?.id, input, apiUrl);
        const client = makeClient(apiUrl, credentials, true);
        let workflowCount: number;
        try {
          await client.verify();
          workflowCount = await countWorkflows(client);
        } finally {
          client.close?.();
        }
        return {
          ok: true,
          // One sentence: the views add the count from `workflowCount` ("Connected. 4 workflows available.").
          message: 'Connected.',
          workflowCount,
        };
      } catch (error) {
        if (error instanceof AlegionError || error instanceof EngineError) {
          return { ok: false, code: error.code, message: error.message };
        }
        throw error;
      }
    },
    connect,
    async disconnect() {
      generation += 1;
      setLive(null);
      settings.set('activeProfileId', null);
      return setState(DISCONNECTED);
    },
    async startSandbox() {
      await ensureSandbox();
      return connect(SANDBOX_PROFILE_ID);
    },
    onClient(listener) {
      clientListeners.add(listener);
      return () => clientListeners.delete(listener);
    },
    onClientEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    async close() {
      generation += 1;
      setLive(null);
      const running = sandbox;
      sandbox = null;
      await running?.close();
    },
  };
}

/** Profiles, the connection and the host: what the first-run screen and the profile switcher show. */
import { DISCONNECTED } from '../../common/api.ts';
import type {
  ConnectionState,
  ConnectionTestResult,
  HostInfo,
  ProfileInput,
  ProfileView,
} from '../../common/api.ts';
import { errorMessage } from '../format.ts';
import type { LoadStatus, SliceCreator } from './types.ts';

export interface ConnectionSlice {
  connection: ConnectionState;
  /** Loading state of the first look at the host (connection, profiles, settings). */
  bootStatus: LoadStatus;
  bootError: string | null;
  hostInfo: HostInfo | null;
  profiles: ProfileView[];
  /** A connect or sandbox start in flight: buttons show it and refuse a second click. */
  connecting: boolean;
  connectError: string | null;
  /** Loads everything the first screen needs; then, if connected, the workspace. */
  boot: () => Promise<void>;
  saveProfile: (input: ProfileInput) => Promise<ProfileView>;
  removeProfile: (profileId: string) => Promise<void>;
  testConnection: (input: ProfileInput) => Promise<ConnectionTestResult>;
  connectProfile: (profileId: string) => Promise<void>;
  startSandbox: () => Promise<void>;
  disconnect: () => Promise<void>;
  /** Applies a connection pushed by the engine. */
  applyConnection: (state: ConnectionState) => void;
}

/** Creates the connection slice. */
export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set, get, { bridge }) => {
  const runConnect = async (attempt: () => Promise<ConnectionState>): Promise<void> => {
    if (get().connecting) return;
    set({ connecting: true, connectError: null });
    try {
      const state = await attempt();
      get().applyConnection(state);
      if (state.status === 'error') set({ connectError: state.message ?? 'The connection failed.' });
      set({ profiles: await bridge.listProfiles() });
    } catch (error) {
      set({ connectError: errorMessage(error) });
    } finally {
      set({ connecting: false });
    }
  };

  return {
    connection: DISCONNECTED,
    bootStatus: 'idle',
    bootError: null,
    hostInfo: null,
    profiles: [],
    connecting: false,
    connectError: null,

    boot: async () => {
      set({ bootStatus: 'loading', bootError: null });
      try {
        const [hostInfo, connection, profiles, settings] = await Promise.all([
          bridge.getHostInfo(),
          bridge.getConnection(),
          bridge.listProfiles(),
          bridge.getSettings(),
        ]);
        set({ hostInfo, profiles, settings, bootStatus: 'ready' });
        get().applyConnection(connection);
      } catch (error) {
        set({ bootStatus: 'error', bootError: errorMessage(error) });
      }
    },

    saveProfile: async (input) => {
      const saved = await bridge.saveProfile(input);
      set({ profiles: await bridge.listProfiles() });
      return saved;
    },

    removeProfile: async (profileId) => {
      await bridge.removeProfile(profileId);
      set({ profiles: await bridge.listProfiles() });
    },

    testConnection: (input) => bridge.testConnection(input),
    connectProfile: (profileId) => runConnect(() => bridge.connect(profileId)),
    startSandbox: () => runConnect(() => bridge.startSandbox()),

    disconnect: async () => {
      try {
        get().applyConnection(await bridge.disconnect());
      } catch (error) {
        get().pushNotice('error', errorMessage(error));
      }
    },

    applyConnection: (state) => {
      const before = get().connection;
      set({ connection: state });
      const becameConnected =
        state.status === 'connected' &&
        (before.status !== 'connected' || before.profileId !== state.profileId);
      if (becameConnected) {
        set({ connectError: null });
        void get().loadWorkspace();
      }
    },
  };
};

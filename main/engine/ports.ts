/**
 * What the engine needs from its host, passed in: storage for settings and secrets, connectivity, notifications,
 * dialogs and the services that talk to the platform. Electron, the headless host and tests each supply their own.
 */
import type { AlegionClient, AlegionClientOptions } from '../alegion/types.ts';
import type { DownloadLinkPort } from './saved-files.ts';

/** A small persistent key-value store (electron-store in the app, a JSON file headless, a Map in tests). */
export interface SettingsStorePort {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Where secrets live. `persisted` is false when the OS offers no secure storage: secrets then last one session. */
export interface SecretStorePort {
  readonly persisted: boolean;
  /** Why secrets are not persisted, for the user (null when they are). */
  readonly reason: string | null;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** Whether the machine is online, and a feed of changes (suspend counts as offline, resume as a recheck). */
export interface ConnectivityPort {
  isOnline(): boolean;
  onChange(listener: (online: boolean) => void): () => void;
}

/** Desktop notifications (batch done, export ready, uploads failed). */
export interface NotifierPort {
  notify(title: string, body: string): void;
}

/** Native dialogs and the file manager; absent on hosts without them (the headless host). */
export interface DialogsPort {
  chooseFiles(): Promise<string[]>;
  chooseFolder(): Promise<string[]>;
  chooseDownloadFolder(): Promise<string | null>;
  showInFolder(path: string): Promise<void>;
}

/** The embedded sandbox once started. */
export interface EmbeddedSandbox {
  /** API root including `/v1`. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Credentials of the embedded sandbox, chosen by the engine when it starts one. */
interface SandboxCredentials {
  apiKey: string;
  username: string;
  password: string;
}

/** The services that reach the platform: real ones in hosts, the same real ones against the sandbox in tests. */
export interface ServicePorts {
  /** A client; `close()` (when present) frees its sockets once the engine drops it. */
  createClient(options: AlegionClientOptions): AlegionClient & { close?(): void };
  startSandbox(credentials: SandboxCredentials): Promise<EmbeddedSandbox>;
}

interface Clock {
  now(): number;
}

export interface EnginePorts {
  hostKind: 'electron' | 'headless';
  appVersion: string;
  platform: string;
  /** Where the journal, export state and logs live. */
  stateDir: string;
  /** Default download folder for a fresh install. */
  defaultDownloadDir: string;
  /** Folders the headless folder browser may list. */
  browseRoots: string[];
  settings: SettingsStorePort;
  secrets: SecretStorePort;
  connectivity: ConnectivityPort;
  notifier: NotifierPort;
  dialogs: DialogsPort | null;
  /** Download links for the files the engine writes or offers (the browser host); absent in the desktop app. */
  downloadLinks?: DownloadLinkPort;
  services: ServicePorts;
  clock?: Clock;
  /** Shorter timings for tests (the upload runner's retry and linger waits). */
  tuning?: { uploads?: { runner?: Record<string, number> } };
  /** Diagnostics lines (never secrets: the engine redacts before it calls this). */
  log?: (line: string) => void;
}

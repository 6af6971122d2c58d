/**
 * The ports of an engine under test against the sandbox: the real services, settings in a Map (kept by the caller
 * to survive a restart), no dialogs, always online, notifications dropped.
 */
import { join } from 'node:path';
import type { EnginePorts, SecretStorePort } from '../../main/engine/ports.ts';
import { defaultServices } from '../../main/engine/default-services.ts';
import { createMemorySecretStore } from '../../main/host/headless/memory-secret-store.ts';
import type { Engine } from '../../main/engine/create-engine.ts';
import type { RunningSandbox } from '../../sandbox/server.ts';

/** Ports for `createEngine` with its state under `dir`. */
export function testEnginePorts(
  dir: string,
  options: {
    settings?: Map<string, unknown>;
    secrets?: SecretStorePort;
    runner?: Record<string, number>;
  } = {},
): EnginePorts {
  const settings = options.settings ?? new Map<string, unknown>();
  return {
    hostKind: 'headless',
    appVersion: '0.0.0-test',
    platform: process.platform,
    stateDir: join(dir, 'state'),
    defaultDownloadDir: join(dir, 'downloads'),
    browseRoots: [dir],
    settings: { get: (key) => settings.get(key), set: (key, value) => void settings.set(key, value) },
    secrets: options.secrets ?? createMemorySecretStore(),
    connectivity: { isOnline: () => true, onChange: () => () => {} },
    notifier: { notify: () => {} },
    dialogs: null,
    services: defaultServices(),
    ...(options.runner ? { tuning: { uploads: { runner: options.runner } } } : {}),
  };
}

/** Saves a profile of the sandbox in the engine and connects to it; returns the connection's status. */
export async function connectToSandbox(
  engine: Pick<Engine, 'saveProfile' | 'connect'>,
  sandbox: RunningSandbox,
): Promise<string> {
  const profile = await engine.saveProfile({
    name: 'Sandbox',
    apiUrl: sandbox.baseUrl,
    username: sandbox.options.username,
    apiKey: sandbox.options.apiKey,
    password: sandbox.options.password,
  });
  return (await engine.connect(profile.id)).status;
}

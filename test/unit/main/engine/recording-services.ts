/**
 * Engine ports for unit tests: a fake platform client that records where it was sent and with which secrets (and
 * answers `verify` only), settings in a map, and the rest inert. The engine runs for real over them.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlegionClientOptions } from '../../../../main/alegion/types.ts';
import { createEngine } from '../../../../main/engine/create-engine.ts';
import type { Engine } from '../../../../main/engine/create-engine.ts';
import type { EnginePorts, SecretStorePort, ServicePorts } from '../../../../main/engine/ports.ts';

/** A settings store over a map, as the ports want it. */
export function mapSettings() {
  const data = new Map<string, unknown>();
  return { data, get: (k: string) => data.get(k), set: (k: string, v: unknown) => void data.set(k, v) };
}

/** Services whose clients record the URL and credentials of every client made; no network at all. */
export function recordingServices(): { services: ServicePorts; clients: AlegionClientOptions[] } {
  const clients: AlegionClientOptions[] = [];
  const services: ServicePorts = {
    createClient(options) {
      clients.push(options);
      // Only verify and the workflow count answer (and the base URL the upload service keys its targets with);
      // anything else the engine tries fails like an unreachable API.
      return new Proxy({} as ReturnType<ServicePorts['createClient']>, {
        get(_target, name) {
          if (name === 'then') return undefined;
          if (name === 'baseUrl') return options.baseUrl;
          if (name === 'verify') return async () => {};
          if (name === 'listWorkflows') return () => ({ count: async () => 0 });
          if (name === 'close') return () => {};
          return () => Promise.reject(new Error('not part of this fake'));
        },
      });
    },
    startSandbox: () => Promise.reject(new Error('no sandbox in this test')),
  };
  return { services, clients };
}

/** A real engine over the given secret store and recording services. */
export async function engineWith(
  secrets: SecretStorePort,
  services: ServicePorts,
  overrides: Partial<EnginePorts> = {},
): Promise<Engine> {
  const stateDir = await mkdtemp(join(tmpdir(), 'alegion-engine-unit-'));
  return createEngine({
    hostKind: 'electron',
    appVersion: '0.0.0-test',
    platform: process.platform,
    stateDir,
    defaultDownloadDir: join(stateDir, 'downloads'),
    browseRoots: [stateDir],
    settings: mapSettings(),
    secrets,
    connectivity: { isOnline: () => true, onChange: () => () => {} },
    notifier: { notify: () => {} },
    dialogs: null,
    services,
    ...overrides,
  });
}

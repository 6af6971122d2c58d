/**
 * The real services every host uses: the Alegion client on got, and the sandbox started in-process for
 * "Try the sandbox" (a free port on 127.0.0.1, quick simulated labelers, credentials made up per launch).
 */
import { createAlegionClient } from '../alegion/client.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { ServicePorts } from './ports.ts';

interface EmbeddedSandboxOptions {
  /** Seconds a simulated labeler takes per task. */
  taskSeconds?: number;
  seed?: number;
}

/** Creates the default services. */
export function defaultServices(sandbox: EmbeddedSandboxOptions = {}): ServicePorts {
  return {
    createClient: (options) => createAlegionClient(options),
    startSandbox: async (credentials) =>
      startSandbox({
        port: 0,
        taskSeconds: sandbox.taskSeconds ?? 1,
        ...(sandbox.seed === undefined ? {} : { seed: sandbox.seed }),
        ...credentials,
      }),
  };
}

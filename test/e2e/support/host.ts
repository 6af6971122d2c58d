/**
 * Starts the real headless host in-process, with the embedded sandbox configured for fast, reproducible
 * labelers (finished batches hold unresolved exceptions, canceled and complete records), and keeps a handle on that sandbox for its stats
 * and its fault switches.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlegionClient } from '../../../main/alegion/client.ts';
import { runHeadless } from '../../../main/host/headless/run.ts';
import { startSandbox } from '../../../sandbox/server.ts';
import type { RunningSandbox } from '../../../sandbox/server.ts';

interface SandboxTuning {
  taskSeconds: number;
  seed: number;
  exceptionRate: number;
  cancelRate: number;
  unresolvedExceptionRate: number;
}

export interface E2eHost {
  url: string;
  /** A folder inside the host's allowed roots, for files to add. */
  dataDir: string;
  /** The embedded sandbox, once "Try the sandbox" started it. */
  sandbox(): RunningSandbox;
  close(): Promise<void>;
}

/**
 * Labelers finish a task in 0.2 s. 90% of tasks hit an exception; half of those stay unresolved, and half of the
 * rest are canceled: per task 45% unresolved exception, 22.5% canceled, 32.5% complete. Record creation order
 * depends on upload timing, so the seed alone does not fix the outcomes; at these rates a batch of 24 files ends
 * with no canceled record about once in 500 runs, and with no exception or no complete one far more rarely.
 */
const FAST_LABELERS: SandboxTuning = {
  taskSeconds: 0.2,
  seed: 7,
  exceptionRate: 0.9,
  cancelRate: 0.5,
  unresolvedExceptionRate: 0.5,
};

/** Starts the host on a free port with a fresh state folder. */
export async function startE2eHost(tuning: SandboxTuning = FAST_LABELERS): Promise<E2eHost> {
  const root = await mkdtemp(join(tmpdir(), 'alegion-e2e-'));
  const stateDir = join(root, 'state');
  const dataDir = join(root, 'data');
  let sandbox: RunningSandbox | null = null;
  const running = await runHeadless({
    stateDir,
    appVersion: '0.0.0-e2e',
    port: 0,
    roots: [root],
    services: {
      createClient: (options) => createAlegionClient(options),
      startSandbox: async (credentials) => {
        sandbox = await startSandbox({ port: 0, ...tuning, ...credentials });
        return sandbox;
      },
    },
  });
  return {
    url: running.host.url,
    dataDir,
    sandbox: () => {
      if (!sandbox) throw new Error('the sandbox has not been started by the app yet');
      return sandbox;
    },
    async close() {
      await running.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

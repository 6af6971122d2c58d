/**
 * A sandbox per test file: started in beforeAll on a free port with a temporary data dir, closed in afterAll.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';
import type { FaultSettings, RunningSandbox, SandboxOptions } from '../../sandbox/server.ts';
import { createAlegionClient } from '../../main/alegion/client.ts';
import type { ClosableAlegionClient } from '../../main/alegion/client.ts';
import type { AlegionClientOptions } from '../../main/alegion/types.ts';

type SandboxOverrides = Partial<Omit<SandboxOptions, 'faults'>> & { faults?: Partial<FaultSettings> };

/** Options tests usually want: labelers finish at once and never throw exceptions, for deterministic counts. */
export const FAST_LABELERS: SandboxOverrides = { taskSeconds: 0, exceptionRate: 0, seed: 1 };

/** Starts one sandbox for the current test file; call the returned function inside tests to reach it. */
export function useSandbox(overrides: SandboxOverrides = {}): () => RunningSandbox {
  let sandbox: RunningSandbox | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'alegion-sandbox-test-'));
    sandbox = await startSandbox({ dataDir, ...overrides, port: overrides.port ?? 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!sandbox) throw new Error('useSandbox(): the sandbox is reachable only inside tests and hooks');
    return sandbox;
  };
}

/** Headers that authenticate as the sandbox's user: logs in once per call. */
export async function sandboxAuthHeaders(sandbox: RunningSandbox): Promise<Record<string, string>> {
  const response = await fetch(`${sandbox.baseUrl}/login`, {
    method: 'POST',
    headers: { 'x-api-key': sandbox.options.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ username: sandbox.options.username, password: sandbox.options.password }),
  });
  if (response.status !== 200) throw new Error(`sandbox login failed with ${response.status}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  return { 'x-api-key': sandbox.options.apiKey, authorization: `Bearer ${token}` };
}

/** The sandbox's address and credentials, as the client takes them. */
export function sandboxConnection(sandbox: RunningSandbox): AlegionClientOptions {
  return {
    baseUrl: sandbox.baseUrl,
    apiKey: sandbox.options.apiKey,
    username: sandbox.options.username,
    password: sandbox.options.password,
  };
}

/** A client of the real Alegion client code, logged in to the sandbox with its own credentials. */
export function sandboxClient(sandbox: RunningSandbox): ClosableAlegionClient {
  return createAlegionClient(sandboxConnection(sandbox));
}

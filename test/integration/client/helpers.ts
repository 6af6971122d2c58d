/** Shared pieces of the client's integration tests: a client for a running sandbox, and secret checks. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { createAlegionClient } from '../../../main/alegion/client.ts';
import type { ClosableAlegionClient, CreateClientOptions } from '../../../main/alegion/client.ts';
import type { RunningSandbox } from '../../../sandbox/server.ts';

/** A client logged in as the sandbox's user, with fast backoff so that retry tests stay quick. */
export function clientFor(
  sandbox: RunningSandbox,
  overrides: Partial<CreateClientOptions> = {},
): ClosableAlegionClient {
  return createAlegionClient({
    baseUrl: sandbox.baseUrl,
    apiKey: sandbox.options.apiKey,
    username: sandbox.options.username,
    password: sandbox.options.password,
    baseBackoffMs: 20,
    maxBackoffMs: 200,
    timeoutMs: 10_000,
    ...overrides,
  });
}

/** Runs `action`, expecting it to throw; returns the error. */
export async function failureOf(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, but the call succeeded');
}

/** Asserts that no secret appears in the error's message, its inspection (cause included) or its JSON. */
export function expectNoSecrets(error: Error, secrets: readonly string[]): void {
  const renderings = [
    error.message,
    inspect(error, { depth: 5 }),
    JSON.stringify(error),
    String(error.stack),
  ];
  for (const secret of secrets) {
    for (const text of renderings) expect(text).not.toContain(secret);
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released), so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The connected client's own retries reach the upload service the engine runs over it: a retried 429 or 503
 * halves the queue's concurrency window at once, as a call that failed with one does; a dropped client's do not.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlegionClientOptions, ClientEvent } from '../../../../main/alegion/types.ts';
import type { Engine } from '../../../../main/engine/create-engine.ts';
import { createMemorySecretStore } from '../../../../main/host/headless/memory-secret-store.ts';
import { AdaptiveConcurrency } from '../../../../main/uploads/queue/adaptive-concurrency.ts';
import { until } from '../../../support/until.ts';
import { engineWith, recordingServices } from './recording-services.ts';

const retried = (reason: string): ClientEvent => ({
  type: 'retry',
  method: 'POST',
  path: '/assets',
  attempt: 1,
  delayMs: 0,
  reason,
});

const acme = {
  name: 'Acme',
  apiUrl: 'https://api.acme.example/v1',
  username: 'ops',
  apiKey: 'key-0123456789abcd',
  password: 'pw-1',
};

/** The concurrency of the `nth` upload service started (0 first), once it has started. */
async function startedConcurrency(
  started: { mock: { contexts: unknown[] } },
  nth: number,
): Promise<AdaptiveConcurrency> {
  const instance = await until(
    () => started.mock.contexts[nth],
    (context) => context instanceof AdaptiveConcurrency,
    'the upload service to start',
  );
  return instance as AdaptiveConcurrency;
}

/** The `onEvent` the engine gave the `nth` client it made. */
function onEventOf(clients: AlegionClientOptions[], nth: number): (event: ClientEvent) => void {
  const onEvent = clients[nth]?.onEvent;
  if (!onEvent) throw new Error(`client ${nth} was made without onEvent`);
  return onEvent;
}

describe('client events in the engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    vi.restoreAllMocks();
  });

  it('a retried 429 of the connected client halves the window of the queue it feeds', async () => {
    // The service's concurrency starts with the service: the spy hands over the very instance it narrows.
    const started = vi.spyOn(AdaptiveConcurrency.prototype, 'start');
    const { services, clients } = recordingServices();
    engine = await engineWith(createMemorySecretStore(), services);
    await engine.connect((await engine.saveProfile(acme)).id);
    const concurrency = await startedConcurrency(started, 0);
    const onEvent = onEventOf(clients, 0);
    const before = concurrency.window;
    expect(before).toBeGreaterThan(1);

    // A login and a retry of a server error say nothing of overload: the window stays.
    onEvent({ type: 'login' });
    onEvent(retried('HTTP 500'));
    expect(concurrency.window).toBe(before);

    onEvent(retried('HTTP 429'));
    expect(concurrency.window).toBe(Math.floor(before / 2));
  });

  it('a client dropped for a new connection no longer narrows the queue', async () => {
    const started = vi.spyOn(AdaptiveConcurrency.prototype, 'start');
    const { services, clients } = recordingServices();
    engine = await engineWith(createMemorySecretStore(), services);
    const profile = await engine.saveProfile(acme);
    await engine.connect(profile.id);
    await startedConcurrency(started, 0);
    await engine.connect(profile.id);
    const concurrency = await startedConcurrency(started, 1);
    const before = concurrency.window;

    onEventOf(clients, 0)(retried('HTTP 503'));
    expect(concurrency.window).toBe(before);
    onEventOf(clients, 1)(retried('HTTP 503'));
    expect(concurrency.window).toBe(Math.floor(before / 2));
  });
});

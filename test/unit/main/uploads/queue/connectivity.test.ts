import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../../../../main/alegion/errors.ts';
import { Connectivity, hostNotFoundMessage } from '../../../../../main/uploads/queue/connectivity.ts';

/** A Connectivity over a probe that answers while `reachable`; counts probes and records each change. */
function probed(timing: { initialDelayMs: number; maxDelayMs: number; sleep: () => Promise<void> }) {
  const state = { reachable: true, probes: 0, changes: [] as boolean[] };
  const connectivity = new Connectivity({
    probe: async () => {
      state.probes++;
      if (!state.reachable) throw new Error('down');
    },
    onChange: (online) => state.changes.push(online),
    ...timing,
  });
  return { state, connectivity };
}

describe('Connectivity', () => {
  it('stays online when the probe answers (the error was the item own), goes offline otherwise and back by itself', async () => {
    const { state, connectivity } = probed({
      initialDelayMs: 1,
      maxDelayMs: 4,
      sleep: () => new Promise((resolve) => setImmediate(resolve)),
    });
    expect(await connectivity.check()).toBe(true);
    state.reachable = false;
    // Concurrent callers share one probe.
    const before = state.probes;
    const results = await Promise.all([connectivity.check(), connectivity.check(), connectivity.check()]);
    expect(results).toEqual([false, false, false]);
    expect(state.probes - before).toBe(1);
    expect(connectivity.online).toBe(false);
    const back = connectivity.waitOnline();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(connectivity.online).toBe(false);
    state.reachable = true;
    await back;
    expect(connectivity.online).toBe(true);
    expect(state.changes).toEqual([false, true]);
    connectivity.stop();
  });
});

/** What a failed lookup looks like from fetch: a TypeError whose cause is getaddrinfo's error. */
function lookupFailure(code: 'ENOTFOUND' | 'EAI_AGAIN', hostname: string): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, hostname }),
  });
}

describe('Connectivity and a host name that does not resolve', () => {
  const quick = {
    initialDelayMs: 1,
    maxDelayMs: 4,
    sleep: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };

  it('reports a name that never resolved instead of waiting offline for it', async () => {
    const reported: string[] = [];
    const changes: boolean[] = [];
    const connectivity = new Connectivity({
      ...quick,
      probe: () => Promise.reject(lookupFailure('ENOTFOUND', 'api.alegionn.com')),
      onChange: (online) => changes.push(online),
      onHostNotFound: (message) => reported.push(message),
    });
    expect(await connectivity.check()).toBe(false);
    expect(reported).toEqual(['cannot find the host api.alegionn.com: check the API URL']);
    expect(changes).toEqual([]);
    connectivity.stop();
  });

  it('waits out a name that stops resolving after the API answered once (an outage, not a typo)', async () => {
    let resolves = true;
    const reported: string[] = [];
    const changes: boolean[] = [];
    const connectivity = new Connectivity({
      ...quick,
      probe: async () => {
        if (!resolves) throw lookupFailure('EAI_AGAIN', 'api.alegion.com');
      },
      onChange: (online) => changes.push(online),
      onHostNotFound: (message) => reported.push(message),
    });
    expect(await connectivity.check()).toBe(true);
    resolves = false;
    expect(await connectivity.check()).toBe(false);
    expect(connectivity.online).toBe(false);
    const back = connectivity.waitOnline();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    resolves = true;
    await back;
    expect(changes).toEqual([false, true]);
    expect(reported).toEqual([]);
    connectivity.stop();
  });

  it('reports the name when it fails only after other trouble, as long as the API never answered', async () => {
    const failures = [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })];
    const reported: string[] = [];
    const connectivity = new Connectivity({
      ...quick,
      probe: () => Promise.reject(failures.shift() ?? lookupFailure('EAI_AGAIN', 'nonexistent.invalid')),
      onChange: () => undefined,
      onHostNotFound: (message) => reported.push(message),
    });
    expect(await connectivity.check()).toBe(false);
    while (reported.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(reported).toEqual([
      'cannot find the host nonexistent.invalid (no name server answered): check the API URL and the network',
    ]);
    connectivity.stop();
  });

  it('without onHostNotFound, waits out every failure as before', async () => {
    const connectivity = new Connectivity({
      ...quick,
      probe: () => Promise.reject(lookupFailure('ENOTFOUND', 'nonexistent.invalid')),
      onChange: () => undefined,
    });
    expect(await connectivity.check()).toBe(false);
    expect(connectivity.online).toBe(false);
    connectivity.stop();
  });
});

describe('hostNotFoundMessage', () => {
  it('reads the code from the client error or fetch error, never from the message, and drops the port', () => {
    const clientError = new NetworkError('nonexistent.invalid:8443', { code: 'ENOTFOUND' });
    expect(hostNotFoundMessage(clientError)).toBe(
      'cannot find the host nonexistent.invalid: check the API URL',
    );
    expect(hostNotFoundMessage(new NetworkError('127.0.0.1:9', { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(hostNotFoundMessage(new Error('getaddrinfo ENOTFOUND x'))).toBeUndefined();
  });
});

describe('Connectivity.hint (the host says the network changed)', () => {
  it('goes offline at once on an offline hint, and back with one probe on an online hint without waiting out the backoff', async () => {
    const { state, connectivity } = probed({
      initialDelayMs: 60_000,
      maxDelayMs: 60_000,
      // The background probing never gets its turn: only the hint can bring the queue back.
      sleep: () => new Promise(() => {}),
    });
    connectivity.hint(false);
    expect(connectivity.online).toBe(false);
    expect(state.probes).toBe(0);
    state.reachable = false;
    connectivity.hint(true); // the API does not answer yet: still offline
    await new Promise((resolve) => setImmediate(resolve));
    expect(connectivity.online).toBe(false);
    expect(state.probes).toBe(1);
    state.reachable = true;
    connectivity.hint(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(connectivity.online).toBe(true);
    expect(state.probes).toBe(2);
    expect(state.changes).toEqual([false, true]);
    connectivity.stop();
  });
});

import { describe, expect, it } from 'vitest';
import {
  NetworkError,
  OutcomeUnknownError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
} from '../../../main/alegion/errors.ts';
import type { ClientEvent } from '../../../main/alegion/types.ts';
import { SANDBOX_WORKFLOWS, startSandbox } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { clientFor, failureOf } from './helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 5 });
const WORKFLOW = SANDBOX_WORKFLOWS.records;

type RetryEvent = Extract<ClientEvent, { type: 'retry' }>;

/** Collects retry events; `onFirst` runs once, at the first retry (e.g. to lift a fault). */
function retryLog(onFirst?: () => void) {
  const events: RetryEvent[] = [];
  return {
    events,
    onEvent: (event: ClientEvent) => {
      if (event.type !== 'retry') return;
      events.push(event);
      if (events.length === 1) onFirst?.();
    },
  };
}

const batchPosts = () => sandbox().stats().requestsByRoute['POST /v1/workflows/:workflowId/batches'] ?? 0;

describe('retries', () => {
  it('waits out a 429 with Retry-After: 1, then succeeds', async () => {
    const log = retryLog(() => sandbox().setFaults({ rateLimitRate: 0 }));
    const client = clientFor(sandbox(), { onEvent: log.onEvent });
    await client.verify();
    const before = sandbox().stats().injected.rateLimits;
    sandbox().setFaults({ rateLimitRate: 1, retryAfterSeconds: 1 });
    expect(await client.listWorkflows().count()).toBe(4);
    expect(sandbox().stats().injected.rateLimits - before).toBe(1);
    expect(log.events).toHaveLength(1);
    expect(log.events[0]).toMatchObject({ method: 'GET', path: '/v1/workflows', reason: 'HTTP 429' });
    // Honoured: the wait chosen is at least the second the server asked for.
    expect(log.events[0]?.delayMs).toBeGreaterThanOrEqual(1_000);
    client.close();
  });

  it('reports a 429 that outlasts the retries as RateLimitedError', async () => {
    const client = clientFor(sandbox(), { retries: 1 });
    await client.verify();
    sandbox().setFaults({ rateLimitRate: 1, retryAfterSeconds: 1 });
    try {
      const error = await failureOf(() => client.listWorkflows().count());
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error.message).toBe('the API is rate limiting requests (429); try again in 1 s');
    } finally {
      sandbox().setFaults({ rateLimitRate: 0 });
      client.close();
    }
  });

  it('retries injected 5xx up to the limit, then reports them', async () => {
    const log = retryLog();
    const client = clientFor(sandbox(), { retries: 3, onEvent: log.onEvent });
    await client.verify();
    const before = sandbox().stats().injected.errors;
    sandbox().setFaults({ errorRate: 1 });
    try {
      const error = await failureOf(() => client.getBatch('3c9fa471-882b-4d92-82d4-ece202606ba6'));
      expect(error).toBeInstanceOf(ServerError);
      expect(error.message).toMatch(/^the API failed with HTTP 50[03] after 4 attempts; try again later$/);
      expect(sandbox().stats().injected.errors - before).toBe(4);
      expect(log.events.map((event) => event.attempt)).toEqual([1, 2, 3]);
    } finally {
      sandbox().setFaults({ errorRate: 0 });
      client.close();
    }
  });

  it('recovers from a 5xx on a GET once the server is back', async () => {
    const log = retryLog(() => sandbox().setFaults({ errorRate: 0 }));
    const client = clientFor(sandbox(), { onEvent: log.onEvent });
    await client.verify();
    sandbox().setFaults({ errorRate: 1 });
    expect(await client.listWorkflows().count()).toBe(4);
    expect(log.events).toHaveLength(1);
    client.close();
  });

  it('retries through a dropped network (offline) on a GET', async () => {
    const log = retryLog(() => sandbox().setFaults({ offline: false }));
    const client = clientFor(sandbox(), { onEvent: log.onEvent });
    await client.verify();
    sandbox().setFaults({ offline: true });
    expect(await client.listWorkflows().count()).toBe(4);
    expect(log.events.length).toBeGreaterThanOrEqual(1);
    client.close();
  });
});

describe('creating POSTs', () => {
  it('never repeats a create the server may have acted on: a 5xx is "outcome unknown", sent once', async () => {
    const client = clientFor(sandbox());
    await client.verify();
    const before = sandbox().stats().injected.errors;
    sandbox().setFaults({ errorRate: 1 });
    try {
      const error = await failureOf(() => client.createBatch(WORKFLOW, { name: 'once' }));
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect(error.message).toMatch(/^createBatch: outcome unknown \(the server failed with HTTP 50[03]\)$/);
      expect(sandbox().stats().injected.errors - before).toBe(1);
    } finally {
      sandbox().setFaults({ errorRate: 0 });
      client.close();
    }
  });

  it('sends a create once when the server stays silent after it went out, and repeats a silent GET', async () => {
    const log = retryLog();
    const client = clientFor(sandbox(), { timeoutMs: 300, retries: 2, onEvent: log.onEvent });
    await client.verify();
    const posts = batchPosts();
    // Every answer comes after the client's 300 ms of silence: each request is out, its outcome never seen.
    sandbox().setFaults({ latencyMs: 1000 });
    try {
      const create = await failureOf(() => client.createBatch(WORKFLOW, { name: 'silent' }));
      expect(create).toBeInstanceOf(OutcomeUnknownError);
      expect(log.events).toHaveLength(0);
      const read = await failureOf(() => client.getBatch('00000000-0000-4000-8000-000000000000'));
      expect(read).toBeInstanceOf(RequestTimeoutError);
      expect(log.events.map((event) => [event.method, event.reason])).toEqual([
        ['GET', 'ETIMEDOUT'],
        ['GET', 'ETIMEDOUT'],
      ]);
    } finally {
      sandbox().setFaults({ latencyMs: 0 });
      client.close();
    }
    // The POST the client gave up on reached the route once, when its delayed answer was made.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(batchPosts() - posts).toBe(1);
  });

  it('repeats a create refused with 429 (the server did not act on it), creating it once', async () => {
    const log = retryLog(() => sandbox().setFaults({ rateLimitRate: 0 }));
    const client = clientFor(sandbox(), { onEvent: log.onEvent });
    await client.verify();
    const posts = batchPosts();
    sandbox().setFaults({ rateLimitRate: 1, retryAfterSeconds: 1 });
    const batch = await client.createBatch(WORKFLOW, { name: 'after 429' });
    expect(batch.name).toBe('after 429');
    // The refused attempt never reached the route; the repeat created the batch once.
    expect(batchPosts() - posts).toBe(1);
    expect(log.events).toHaveLength(1);
    client.close();
  });

  it('repeats a create whose connection was refused before sending, then reports "cannot reach"', async () => {
    // A second sandbox that goes away after the login: the POST then meets a refused connection.
    const doomed = await startSandbox({ port: 0, labelers: false });
    const log = retryLog();
    const client = clientFor(doomed, { retries: 2, onEvent: log.onEvent });
    await client.verify();
    await doomed.close();
    const error = await failureOf(() => client.createBatch(WORKFLOW, { name: 'never sent' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`cannot reach 127.0.0.1:${doomed.port}`);
    expect(log.events.map((event) => [event.method, event.reason])).toEqual([
      ['POST', 'ECONNREFUSED'],
      ['POST', 'ECONNREFUSED'],
    ]);
    client.close();
  });

  it('re-logs in and repeats a create refused with 401 (refused before processing), creating it once', async () => {
    const client = clientFor(sandbox(), { tokenRenewMarginSeconds: -3_600 });
    await client.verify();
    sandbox().expireTokens();
    const posts = batchPosts();
    const batch = await client.createBatch(WORKFLOW, { name: 'after 401' });
    expect(batch.workflowId).toBe(WORKFLOW);
    // Counted by the route twice (refused, then served), created once.
    expect(batchPosts() - posts).toBe(2);
    const names = [];
    for await (const listed of client.listBatches(WORKFLOW)) names.push(listed.name);
    expect(names.filter((name) => name === 'after 401')).toHaveLength(1);
    client.close();
  });
});

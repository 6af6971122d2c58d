/**
 * The engine as the headless host and the app run it, against a sandbox that answers 429: the client's own
 * retries of a call the queue never made (a workflow listing) still halve the queue's concurrency window, as
 * the CLI's queue hears them.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../../main/engine/create-engine.ts';
import type { Engine } from '../../../main/engine/create-engine.ts';
import { AdaptiveConcurrency } from '../../../main/uploads/queue/adaptive-concurrency.ts';
import { connectToSandbox, testEnginePorts } from '../../support/engine-ports.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { until } from '../../support/until.ts';

const sandbox = useSandbox({ labelers: false, seed: 5 });

describe('the engine and the client retries', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    sandbox().setFaults({ rateLimitRate: 0 });
    await engine?.close();
    engine = undefined;
    vi.restoreAllMocks();
  });

  it('halves the queue window when the connected client retries a 429', async () => {
    // The service's concurrency starts with the service: the spy hands over the very instance it narrows.
    const started = vi.spyOn(AdaptiveConcurrency.prototype, 'start');
    engine = await createEngine(testEnginePorts(await mkdtemp(join(tmpdir(), 'engine-retries-'))));
    expect(await connectToSandbox(engine, sandbox())).toBe('connected');
    const concurrency = (await until(
      () => started.mock.contexts[0],
      (context) => context instanceof AdaptiveConcurrency,
      'the upload service to start',
    )) as AdaptiveConcurrency;
    const before = concurrency.window;
    expect(before).toBeGreaterThan(1);

    // Every call refused, with no wait asked: the client retries at once until it gives up.
    sandbox().setFaults({ rateLimitRate: 1, retryAfterSeconds: 0 });
    await expect(engine.listWorkflows()).rejects.toMatchObject({ code: 'rate-limited' });
    expect(sandbox().stats().injected.rateLimits).toBeGreaterThan(1);
    expect(concurrency.window).toBe(Math.floor(before / 2));
  });
});

/**
 * One state directory holds every profile's queue: the runner of the connected profile works only the items going
 * to its own server and account, and leaves another profile's files (and records) waiting for that profile.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { serviceFor, settled, tempDir, writeImages } from './helpers.ts';

const first = useSandbox({ labelers: false, seed: 31 });
const second = useSandbox({ labelers: false, seed: 32 });

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the runner of the connected profile', () => {
  it("uploads only its own profile's files: another profile's queued files wait for that profile's client", async () => {
    const stateDir = tempDir('profiles-state-');
    const folder = tempDir('profiles-');
    const firstFiles = writeImages(join(folder, 'first'), 3);
    const secondFiles = writeImages(join(folder, 'second'), 2);
    const target = { workflowId: SANDBOX_WORKFLOWS.image, newBatch: { name: 'mine', isEnabled: false } };

    // The first profile queues its files and disconnects before any is sent.
    const a = serviceFor(first(), stateDir);
    const queuedFirst = await a.service.addPaths(firstFiles, target);
    expect(queuedFirst.queued).toBe(3);
    await a.service.stop();
    a.client.close();

    // The second profile connects to its own server on the same journal and uploads its own files.
    const b = serviceFor(second(), stateDir);
    try {
      b.service.start();
      const queuedSecond = await b.service.addPaths(secondFiles, target);
      b.service.focusRun(queuedSecond.runId);
      await settled(b.service);
      await wait(1500); // a few more passes of the runner: the first profile's files must still not move
      expect(second().stats().assets).toBe(2);
      expect(first().stats().assets).toBe(0);
      b.service.focusRun(queuedFirst.runId);
      expect(b.service.totals().files.done).toBe(0);
    } finally {
      await b.service.stop();
      b.client.close();
    }

    // Back on the first profile, its files go to its server.
    const again = serviceFor(first(), stateDir);
    try {
      again.service.start();
      again.service.focusRun(queuedFirst.runId);
      await settled(again.service);
      expect(again.service.totals().files.done).toBe(3);
      expect(first().stats().assets).toBe(3);
      expect(second().stats().assets).toBe(2);
    } finally {
      await again.service.stop();
      again.client.close();
    }
  }, 120_000);
});

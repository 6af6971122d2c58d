import { describe, expect, it } from 'vitest';
import { Connectivity } from '../../../../main/uploads/connectivity.ts';

describe('Connectivity', () => {
  it('stays online when the probe answers (the error was the item own), goes offline otherwise and back by itself', async () => {
    let reachable = true;
    let probes = 0;
    const changes: boolean[] = [];
    const connectivity = new Connectivity({
      probe: async () => {
        probes++;
        if (!reachable) throw new Error('down');
      },
      onChange: (online) => changes.push(online),
      initialDelayMs: 1,
      maxDelayMs: 4,
      sleep: () => new Promise((resolve) => setImmediate(resolve)),
    });
    expect(await connectivity.check()).toBe(true);
    reachable = false;
    // Concurrent callers share one probe.
    const before = probes;
    const results = await Promise.all([connectivity.check(), connectivity.check(), connectivity.check()]);
    expect(results).toEqual([false, false, false]);
    expect(probes - before).toBe(1);
    expect(connectivity.online).toBe(false);
    const back = connectivity.waitOnline();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(connectivity.online).toBe(false);
    reachable = true;
    await back;
    expect(connectivity.online).toBe(true);
    expect(changes).toEqual([false, true]);
    connectivity.stop();
  });
});

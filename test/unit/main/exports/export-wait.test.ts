/**
 * Waiting for an export, on a fake clock: checks come a quarter of a second apart at first, then at a twentieth of
 * the time waited (so a ready export is found at most 5% late), never more than 5 s apart; a failed export or a
 * wait past the timeout ends it.
 */
import { describe, expect, it } from 'vitest';
import type { RecordResultExport } from '../../../../common/alegion.ts';
import { waitUntilReady } from '../../../../main/exports/export-wait.ts';
import type { ExportPollOptions } from '../../../../main/exports/export-wait.ts';

const POLL: ExportPollOptions = { initialMs: 250, maxMs: 5000, lateShare: 0.05, timeoutMs: 30 * 60_000 };

/** A platform whose export turns `final` once `readyAtMs` has passed on the fake clock. */
function platform(readyAtMs: number, final = 'ready') {
  let clock = 0;
  const sleeps: number[] = [];
  let checks = 0;
  const context = {
    client: {
      getExport: async (id: string) => {
        checks++;
        return { id, status: clock >= readyAtMs ? final : 'in-progress' } as RecordResultExport;
      },
    },
    poll: POLL,
    now: () => clock,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    },
    onWaiting: () => undefined,
  };
  return { context, sleeps, checks: () => checks, clock: () => clock };
}

describe('waiting for an export', () => {
  it('checks often at first, then at a share of the time waited, never more than 5 s apart', async () => {
    const run = platform(10 * 60_000);
    const ready = await waitUntilReady(run.context, 'e1');
    expect(ready.status).toBe('ready');
    expect(run.sleeps.slice(0, 20).every((ms) => ms === 250)).toBe(true);
    expect(Math.max(...run.sleeps)).toBe(5000);
    // Each wait is a twentieth of the time waited before it, within the bounds.
    let waited = 0;
    for (const ms of run.sleeps) {
      expect(ms).toBeCloseTo(Math.min(5000, Math.max(250, waited * 0.05)), 6);
      waited += ms;
    }
    // Found at most one wait late, and with far fewer checks than a fixed quarter second would make.
    expect(run.clock() - 10 * 60_000).toBeLessThanOrEqual(5000);
    expect(run.checks()).toBeLessThan((10 * 60_000) / 250 / 4);
  });

  it('finds a short export within a quarter of a second of it being ready', async () => {
    const run = platform(8_500);
    await waitUntilReady(run.context, 'e2');
    expect(run.clock() - 8_500).toBeLessThanOrEqual(425);
  });

  it('ends with the status of an export that failed, and after the timeout', async () => {
    await expect(waitUntilReady(platform(1000, 'failed').context, 'e3')).rejects.toThrow(/failed/);
    const slow = platform(Infinity);
    await expect(
      waitUntilReady({ ...slow.context, poll: { ...POLL, timeoutMs: 60_000 } }, 'e4'),
    ).rejects.toMatchObject({ code: 'export-timeout' });
  });
});

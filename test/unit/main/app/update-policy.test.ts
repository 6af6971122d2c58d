/**
 * The updater's decisions over a fake updater and a fake clock: a check at start and every day, downloads in the
 * background, the restart offered only while no upload runs (once per version), and the installer run only on the
 * way out, after the engine closed: never while an upload runs.
 */
import { describe, expect, it, vi } from 'vitest';
import { CHECK_INTERVAL_MS, createUpdatePolicy } from '../../../../main/app/update-policy.ts';
import type { UpdateClock, UpdaterPort } from '../../../../main/app/update-policy.ts';

function fakeUpdater() {
  const downloaded: ((version: string) => void)[] = [];
  const errors: ((error: Error) => void)[] = [];
  let failNext = false;
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    checks: 0,
    installs: [] as [boolean, boolean][],
    checkForUpdates: vi.fn(async () => {
      updater.checks += 1;
      if (failNext) {
        failNext = false;
        throw new Error('getaddrinfo ENOTFOUND updates.example.invalid');
      }
      return null;
    }),
    quitAndInstall: (isSilent: boolean, restart: boolean) => void updater.installs.push([isSilent, restart]),
    onUpdateDownloaded: (listener: (version: string) => void) => void downloaded.push(listener),
    onError: (listener: (error: Error) => void) => void errors.push(listener),
    /** The background download finished. */
    finishDownload: (version: string) => downloaded.forEach((l) => l(version)),
    failNextCheck: () => (failNext = true),
    emitError: (error: Error) => errors.forEach((l) => l(error)),
  };
  return updater satisfies UpdaterPort;
}

/** A clock whose time moves only when told. */
function fakeClock() {
  let now = 0;
  const timers: { every: number; next: number; fn: () => void; on: boolean }[] = [];
  const clock: UpdateClock & { advance(ms: number): void; active(): number } = {
    every(ms, fn) {
      const timer = { every: ms, next: now + ms, fn, on: true };
      timers.push(timer);
      return () => (timer.on = false);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.on && t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.every;
        due.fn();
      }
      now = end;
    },
    active: () => timers.filter((t) => t.on).length,
  };
  return clock;
}

function setup(options: { running?: boolean; answer?: boolean } = {}) {
  const updater = fakeUpdater();
  const clock = fakeClock();
  const state = { running: options.running ?? false };
  const asked: string[] = [];
  let answer: (restart: boolean) => void = () => {};
  const log: string[] = [];
  const quit = vi.fn();
  const policy = createUpdatePolicy({
    updater,
    clock,
    uploadsRunning: () => state.running,
    askToRestart: (version) => {
      asked.push(version);
      return new Promise((resolve) => (answer = resolve));
    },
    quit,
    log: (m) => log.push(m),
  });
  return { updater, clock, state, asked, answer: (restart: boolean) => answer(restart), log, quit, policy };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('update policy', () => {
  it('downloads in the background and leaves installing to the policy, not to the quit', () => {
    const { updater } = setup();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('checks at start and then once a day, and stops checking when stopped', () => {
    const { updater, clock, policy } = setup();
    policy.start();
    policy.start();
    expect(updater.checks).toBe(1);
    clock.advance(CHECK_INTERVAL_MS - 1);
    expect(updater.checks).toBe(1);
    clock.advance(1);
    expect(updater.checks).toBe(2);
    clock.advance(3 * CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(5);
    policy.stop();
    expect(clock.active()).toBe(0);
    clock.advance(CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(5);
  });

  it('logs a failed check (offline, placeholder server) and checks again the next day', async () => {
    const { updater, clock, policy, log } = setup();
    updater.failNextCheck();
    policy.start();
    await tick();
    expect(log).toEqual(['update check failed: getaddrinfo ENOTFOUND updates.example.invalid']);
    clock.advance(CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(2);
    updater.emitError(new Error('download interrupted'));
    expect(log.at(-1)).toBe('update failed: download interrupted');
  });

  it('offers the restart at once when no upload runs, and restarting quits then installs and relaunches', async () => {
    const { updater, asked, answer, quit, policy } = setup();
    policy.start();
    updater.finishDownload('1.2.0');
    expect(asked).toEqual(['1.2.0']);
    answer(true);
    await tick();
    expect(quit).toHaveBeenCalledTimes(1);
    // Nothing is installed until the app's quit path has closed the engine and asks.
    expect(updater.installs).toEqual([]);
    expect(policy.installOnQuit()).toBe(true);
    expect(updater.installs).toEqual([[true, true]]);
  });

  it('holds the offer while uploads run and makes it once they are done', async () => {
    const { updater, state, asked, policy } = setup({ running: true });
    updater.finishDownload('1.2.0');
    policy.workChanged();
    policy.workChanged();
    expect(asked).toEqual([]);
    expect(updater.installs).toEqual([]);
    state.running = false;
    policy.workChanged();
    policy.workChanged();
    expect(asked).toEqual(['1.2.0']);
  });

  it('does not restart when uploads started while the question was open, and asks again once they end', async () => {
    const { updater, state, asked, answer, quit, policy } = setup();
    updater.finishDownload('1.2.0');
    state.running = true;
    answer(true);
    await tick();
    expect(quit).not.toHaveBeenCalled();
    expect(updater.installs).toEqual([]);
    state.running = false;
    policy.workChanged();
    expect(asked).toEqual(['1.2.0', '1.2.0']);
  });

  it('after "Later", asks no more for that version, installs silently at quit without relaunching', async () => {
    const { updater, asked, answer, quit, policy } = setup();
    updater.finishDownload('1.2.0');
    answer(false);
    await tick();
    policy.workChanged();
    expect(asked).toEqual(['1.2.0']);
    expect(quit).not.toHaveBeenCalled();
    expect(policy.installOnQuit()).toBe(true);
    expect(updater.installs).toEqual([[true, false]]);
  });

  it('asks again for a newer version, and installs nothing at quit when nothing was downloaded', async () => {
    const first = setup();
    first.updater.finishDownload('1.2.0');
    first.answer(false);
    await tick();
    first.updater.finishDownload('1.3.0');
    expect(first.asked).toEqual(['1.2.0', '1.3.0']);

    const none = setup();
    expect(none.policy.installOnQuit()).toBe(false);
    expect(none.updater.installs).toEqual([]);
  });
});

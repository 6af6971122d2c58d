import { describe, expect, it } from 'vitest';
import { createTokenManager, renewalMarginSeconds } from '../../../../main/alegion/auth.ts';
import type { IssuedToken } from '../../../../main/alegion/auth.ts';

/** A login that the test resolves by hand, and a clock the test moves by hand. */
function harness(expiresInSeconds = 3_600, renewMarginSeconds = 60) {
  let time = 1_000_000;
  const pending: Array<{ resolve: (token: IssuedToken) => void; reject: (error: Error) => void }> = [];
  let issued = 0;
  const manager = createTokenManager({
    now: () => time,
    renewMarginSeconds,
    login: () =>
      new Promise<IssuedToken>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  });
  const completeLogin = () => {
    issued += 1;
    pending.shift()?.resolve({ token: `token-${issued}`, expiresInSeconds });
  };
  return {
    manager,
    pending,
    completeLogin,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('renewalMarginSeconds', () => {
  it('renews a minute early, but never more than a tenth of a short lifetime', () => {
    expect(renewalMarginSeconds(3_600, 60)).toBe(60);
    expect(renewalMarginSeconds(2, 60)).toBeCloseTo(0.2);
  });
});

describe('createTokenManager', () => {
  it('logs in lazily, once, for any number of concurrent callers', async () => {
    const { manager, pending, completeLogin } = harness();
    expect(manager.logins).toBe(0);
    const callers = Array.from({ length: 20 }, () => manager.get());
    expect(pending).toHaveLength(1);
    completeLogin();
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 20 }, () => 'token-1'));
    expect(manager.logins).toBe(1);
  });

  it('keeps the token until the renewal margin before expiry, then renews once', async () => {
    const { manager, pending, completeLogin, advance } = harness(3_600, 60);
    const first = manager.get();
    completeLogin();
    expect(await first).toBe('token-1');
    advance((3_600 - 60) * 1000 - 1);
    expect(await manager.get()).toBe('token-1');
    advance(1);
    const renewed = [manager.get(), manager.get(), manager.get()];
    expect(pending).toHaveLength(1);
    completeLogin();
    expect(await Promise.all(renewed)).toEqual(['token-2', 'token-2', 'token-2']);
    expect(manager.logins).toBe(2);
  });

  it('drops a refused token, but not a newer one that already replaced it', async () => {
    const { manager, completeLogin } = harness();
    const first = manager.get();
    completeLogin();
    expect(await first).toBe('token-1');
    manager.invalidate('token-1');
    const second = manager.get();
    completeLogin();
    expect(await second).toBe('token-2');
    manager.invalidate('token-1');
    expect(await manager.get()).toBe('token-2');
    expect(manager.logins).toBe(2);
  });

  it('shares a failed login with its waiters, and tries again on the next call', async () => {
    const { manager, pending, completeLogin } = harness();
    const waiters = [manager.get(), manager.get()];
    pending.shift()?.reject(new Error('username or password rejected'));
    for (const waiter of waiters) await expect(waiter).rejects.toThrow('username or password rejected');
    const retry = manager.get();
    expect(pending).toHaveLength(1);
    completeLogin();
    expect(await retry).toBe('token-1');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_NOTICES, NOTICE_TTL_MS } from '../../../../renderer/store/notices-slice.ts';
import { testStore } from './fake-bridge.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('notices slice', () => {
  it('collapses the same message into one notice with a count, moved to the newest place', () => {
    const t = testStore({});
    const { pushNotice } = t.store.getState();
    pushNotice('info', 'Queued 3 files for upload.');
    pushNotice('error', 'Nothing to pause.');
    pushNotice('info', 'Queued 3 files for upload.');
    const notices = t.store.getState().notices;
    expect(notices.map((n) => [n.message, n.count])).toEqual([
      ['Nothing to pause.', 1],
      ['Queued 3 files for upload.', 2],
    ]);
    // The same words at another level are another notice.
    pushNotice('warning', 'Nothing to pause.');
    expect(t.store.getState().notices).toHaveLength(3);
    t.dispose();
  });

  it('lets every toast go by itself, errors last, and keeps the errors in the problems list', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const t = testStore({});
    const s = () => t.store.getState();
    s().pushNotice('info', 'Saved.');
    s().pushNotice('warning', 'Secrets are kept only until the app quits.');
    s().pushNotice('error', 'Cannot reach the API.');
    s().expireNotices(1_000_000 + (NOTICE_TTL_MS.info ?? 0) - 1);
    expect(s().notices).toHaveLength(3);
    s().expireNotices(1_000_000 + (NOTICE_TTL_MS.info ?? 0));
    expect(s().notices.map((n) => n.level)).toEqual(['warning', 'error']);
    s().expireNotices(1_000_000 + (NOTICE_TTL_MS.warning ?? 0));
    expect(s().notices.map((n) => n.message)).toEqual(['Cannot reach the API.']);
    expect(s().problems).toEqual([]);
    s().expireNotices(1_000_000 + (NOTICE_TTL_MS.error ?? 0));
    expect(s().notices).toEqual([]);
    // Only the error stays, in the problems list, until cleared.
    expect(s().problems.map((n) => [n.message, n.expiresAt])).toEqual([['Cannot reach the API.', null]]);
    s().pushNotice('error', 'Cannot reach the API.');
    s().dismissNotice(s().notices[0]?.id ?? -1);
    expect(s().problems.map((n) => [n.message, n.count])).toEqual([['Cannot reach the API.', 2]]);
    s().clearProblems();
    expect(s().problems).toEqual([]);
    t.dispose();
  });

  it('restarts the timer of a message that arrives again', () => {
    vi.useFakeTimers({ now: 2_000_000 });
    const t = testStore({});
    const s = () => t.store.getState();
    s().pushNotice('info', 'Export a.zip is ready.');
    vi.setSystemTime(2_000_000 + 4000);
    s().pushNotice('info', 'Export a.zip is ready.');
    s().expireNotices(2_000_000 + (NOTICE_TTL_MS.info ?? 0) + 1);
    expect(s().notices).toHaveLength(1);
    t.dispose();
  });

  it("words the engine's messages as sentences, so the same error collapses whatever its wording", () => {
    const t = testStore({});
    const s = () => t.store.getState();
    s().pushNotice('error', 'cannot reach api.alegion.com');
    s().pushNotice('error', "Can't reach api.alegion.com.");
    expect(s().notices.map((n) => [n.message, n.count])).toEqual([["Can't reach api.alegion.com.", 2]]);
    t.dispose();
  });

  it('keeps the newest notices only, and dismisses all at once', () => {
    const t = testStore({});
    const s = () => t.store.getState();
    for (let i = 0; i < MAX_NOTICES + 5; i++) s().pushNotice('error', `Error ${i}`);
    expect(s().notices).toHaveLength(MAX_NOTICES);
    expect(s().notices.at(-1)?.message).toBe(`Error ${MAX_NOTICES + 4}`);
    s().dismissAllNotices();
    expect(s().notices).toEqual([]);
    t.dispose();
  });
});

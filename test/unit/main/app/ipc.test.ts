/** The IPC wrapper: sender checks and argument validation come before the engine; errors are `{ code, message }`. */
import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../../../../common/api.ts';
import { eventChannel, invokeChannel } from '../../../../common/ipc-channels.ts';
import { forwardEvents, handleInvoke, registerIpc, senderTrusted } from '../../../../main/app/ipc.ts';
import { EngineError } from '../../../../main/engine/errors.ts';
import { fakeEngine } from './fake-engine.ts';

const appFrame = { url: 'app://renderer/index.html', parent: null };
const WORKFLOW = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';

describe('senderTrusted', () => {
  it('trusts the app page in a top-level frame only', () => {
    expect(senderTrusted(appFrame as never)).toBe(true);
    expect(senderTrusted({ url: 'app://renderer/index.html', parent: {} } as never)).toBe(false);
    expect(senderTrusted({ url: 'https://evil.example/', parent: null } as never)).toBe(false);
    expect(senderTrusted({ url: 'file:///tmp/index.html', parent: null } as never)).toBe(false);
    expect(senderTrusted({ url: 'app://evil/index.html', parent: null } as never)).toBe(false);
    expect(senderTrusted(null)).toBe(false);
    expect(senderTrusted(undefined)).toBe(false);
  });
});

describe('handleInvoke', () => {
  it('refuses an untrusted sender without calling the engine', async () => {
    const { engine, calls } = fakeEngine();
    const result = await handleInvoke(
      engine,
      'listWorkflows',
      { senderFrame: { url: 'https://evil.example/', parent: null } } as never,
      [],
    );
    expect(result).toEqual({ ok: false, error: { code: 'untrusted-sender', message: 'request refused' } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['listBatches', ['not-a-uuid']],
    ['listBatches', []],
    ['listBatches', [WORKFLOW, 'extra']],
    ['createBatch', [{ workflowId: WORKFLOW, name: '', isEnabled: true }]],
    ['saveProfile', [{ name: 'x', apiUrl: 'file:///etc/passwd', username: 'u' }]],
    ['scanPaths', [{ paths: [] }]],
    ['updateSettings', [{ concurrency: 1000 }]],
    ['listQueue', [{ limit: 100_000 }]],
    ['setBatchEnabled', [WORKFLOW, 'yes']],
  ])('rejects malformed arguments of %s before the engine', async (method, args) => {
    const { engine, calls } = fakeEngine();
    const result = await handleInvoke(engine, method, { senderFrame: appFrame } as never, args);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-arguments');
      expect(result.error.message).not.toMatch(/\n\s+at /);
    }
    expect(calls).toEqual([]);
  });

  it('rejects a method that is not in the contract', async () => {
    const { engine, calls } = fakeEngine();
    for (const method of ['constructor', '__proto__', 'close', 'events', 'knownSecrets']) {
      const result = await handleInvoke(engine, method, { senderFrame: appFrame } as never, []);
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
    expect(calls).toEqual([]);
  });

  it('calls the engine with the parsed arguments (defaults applied) and returns its value', async () => {
    const { engine, calls } = fakeEngine();
    const result = await handleInvoke(engine, 'listQueue', { senderFrame: appFrame } as never, [
      { groups: ['failed'] },
    ]);
    expect(result).toEqual({ ok: true, value: 'listQueue-result' });
    expect(calls).toEqual([{ method: 'listQueue', args: [{ offset: 0, limit: 100, groups: ['failed'] }] }]);
  });

  it('turns an engine failure into a code and a message with secrets removed', async () => {
    const { engine } = fakeEngine();
    (engine as unknown as Record<string, unknown>).listWorkflows = async () => {
      throw new EngineError('not-connected', 'key super-secret-api-key was refused');
    };
    const result = await handleInvoke(engine, 'listWorkflows', { senderFrame: appFrame } as never, []);
    expect(result).toEqual({ ok: false, error: { code: 'not-connected', message: 'key •••• was refused' } });
  });

  it('hides unexpected errors behind a generic message (no stack, no detail)', async () => {
    const { engine } = fakeEngine();
    (engine as unknown as Record<string, unknown>).getSettings = async () => {
      throw new TypeError('cannot read properties of undefined (reading "x") at /app/main/engine.ts:10');
    };
    const result = await handleInvoke(engine, 'getSettings', { senderFrame: appFrame } as never, []);
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'unexpected error in the app; see Diagnostics' },
    });
  });
});

describe('registerIpc', () => {
  it('registers exactly one handler per contract method and removes them all', () => {
    const { engine } = fakeEngine();
    const handle = vi.fn();
    const removeHandler = vi.fn();
    const unregister = registerIpc({ handle, removeHandler }, engine);
    expect(handle.mock.calls.map((c) => c[0])).toEqual(METHOD_NAMES.map((m) => invokeChannel(m)));
    unregister();
    expect(removeHandler.mock.calls.map((c) => c[0])).toEqual(METHOD_NAMES.map((m) => invokeChannel(m)));
  });

  it('routes a call through the sender check', async () => {
    const { engine, calls } = fakeEngine();
    const handle = vi.fn();
    registerIpc({ handle, removeHandler: vi.fn() }, engine);
    const [, handler] = handle.mock.calls.find((c) => c[0] === invokeChannel('getConnection'))!;
    await expect(handler({ senderFrame: appFrame })).resolves.toEqual({
      ok: true,
      value: 'getConnection-result',
    });
    await expect(
      handler({ senderFrame: { url: 'https://x.example/', parent: null } }),
    ).resolves.toMatchObject({ ok: false });
    expect(calls).toHaveLength(1);
  });
});

describe('forwardEvents', () => {
  it('sends each engine event on its channel while the window shows the app', () => {
    const { engine } = fakeEngine();
    let url = 'app://renderer/index.html';
    const send = vi.fn();
    const stop = forwardEvents(engine, { send, isDestroyed: () => false, getURL: () => url });
    engine.events.emit('queueChanged', { reason: 'added' });
    expect(send).toHaveBeenCalledWith(eventChannel('queueChanged'), { reason: 'added' });
    url = 'https://evil.example/';
    engine.events.emit('queueChanged', { reason: 'again' });
    expect(send).toHaveBeenCalledTimes(1);
    stop();
    url = 'app://renderer/index.html';
    engine.events.emit('queueChanged', { reason: 'after stop' });
    expect(send).toHaveBeenCalledTimes(1);
    expect(EVENT_NAMES).toContain('queueChanged');
  });
});

/**
 * The preload's surface: exactly one function per contract method, one `on<Event>` per event and
 * `pathsForDroppedFiles`, nothing else; subscriptions never hand out the IPC event and return an unsubscribe.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, subscriptionName } from '../../../common/api.ts';
import { eventChannel, invokeChannel } from '../../../common/ipc-channels.ts';

type Handler = (event: unknown, payload: unknown) => void;

const exposed = new Map<string, Record<string, unknown>>();
const listeners = new Map<string, Set<Handler>>();
const invoke = vi.fn(async (channel: string, ...args: unknown[]): Promise<unknown> => {
  if (channel === invokeChannel('listWorkflows'))
    return { ok: false, error: { code: 'not-connected', message: 'not connected' } };
  return { ok: true, value: { channel, args } };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api),
  },
  ipcRenderer: {
    invoke,
    on: (channel: string, handler: Handler) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(handler);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, handler: Handler) => listeners.get(channel)?.delete(handler),
    send: () => {
      throw new Error('the preload must not use send');
    },
  },
  webUtils: {
    getPathForFile: (file: { name: string }) => (file.name === 'virtual' ? '' : `/home/u/${file.name}`),
  },
}));

let api: Record<string, unknown>;

beforeAll(async () => {
  await import('../../../preload/index.ts');
  api = exposed.get('alegion')!;
});

describe('window.alegion', () => {
  it('is the only thing exposed', () => {
    expect([...exposed.keys()]).toEqual(['alegion']);
  });

  it('has exactly the contract: every method, every subscription, pathsForDroppedFiles, and nothing else', () => {
    const expected = [
      ...METHOD_NAMES,
      ...EVENT_NAMES.map((e) => subscriptionName(e)),
      'pathsForDroppedFiles',
    ].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('exposes no generic invoke, send or on', () => {
    for (const name of ['invoke', 'send', 'on', 'ipcRenderer', 'require', 'process'])
      expect(api).not.toHaveProperty(name);
  });

  it('invokes each method on its own channel with its arguments', async () => {
    const result = await (api.listBatches as (id: string) => Promise<unknown>)('w-1');
    expect(invoke).toHaveBeenLastCalledWith(invokeChannel('listBatches'), 'w-1');
    expect(result).toEqual({ channel: invokeChannel('listBatches'), args: ['w-1'] });
  });

  it('rejects with the plain { code, message } of a failure', async () => {
    await expect((api.listWorkflows as () => Promise<unknown>)()).rejects.toEqual({
      code: 'not-connected',
      message: 'not connected',
    });
  });

  it('delivers event payloads without the IPC event, and unsubscribes', () => {
    const received: unknown[] = [];
    const unsubscribe = (api.onQueueChanged as (l: (...a: unknown[]) => void) => () => void)((...args) =>
      received.push(args),
    );
    const channel = eventChannel('queueChanged');
    for (const handler of listeners.get(channel) ?? []) handler({ sender: 'ipc-event' }, { reason: 'x' });
    expect(received).toEqual([[{ reason: 'x' }]]);
    unsubscribe();
    expect(listeners.get(channel)?.size ?? 0).toBe(0);
  });

  it('turns dropped files into paths with webUtils, dropping files without one', () => {
    const paths = (api.pathsForDroppedFiles as (files: { name: string }[]) => string[])([
      { name: 'a.jpg' },
      { name: 'virtual' },
      { name: 'folder' },
    ]);
    expect(paths).toEqual(['/home/u/a.jpg', '/home/u/folder']);
  });
});

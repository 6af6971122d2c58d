/** renderer/api.ts: the socket bridge (calls by id, events to subscribers, reconnect) and error normalisation. */
import { describe, expect, it, vi } from 'vitest';
import {
  ApiCallError,
  createSocketBridge,
  socketUrlFor,
  takeToken,
  toApiCallError,
} from '../../../renderer/api.ts';
import type { TokenPage } from '../../../renderer/api.ts';

/** A stand-in socket: records what is sent; the test plays the host. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: { id: number; method: string; args: unknown[] }[] = [];
  private handlers = new Map<string, ((event: { data?: string }) => void)[]>();
  readonly url: string;
  readonly protocols: string[];
  constructor(url: string, protocols: string[]) {
    this.url = url;
    this.protocols = protocols;
    FakeSocket.instances.push(this);
  }
  addEventListener(type: string, handler: (event: { data?: string }) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text) as { id: number; method: string; args: unknown[] });
  }
  fire(type: string, data?: unknown) {
    if (type === 'open') this.readyState = WebSocket.OPEN;
    if (type === 'close') this.readyState = WebSocket.CLOSED;
    for (const handler of this.handlers.get(type) ?? [])
      handler({ data: data === undefined ? undefined : JSON.stringify(data) });
  }
}

function bridge() {
  FakeSocket.instances = [];
  const api = createSocketBridge({
    url: 'ws://127.0.0.1:1/ws',
    token: 'secret-token',
    createSocket: (url, protocols) => new FakeSocket(url, protocols) as unknown as WebSocket,
    backoffMs: () => 0,
  });
  return { api, socket: () => FakeSocket.instances.at(-1)! };
}

describe('createSocketBridge', () => {
  it('queues calls until the socket opens, then matches results by id', async () => {
    const { api, socket } = bridge();
    const workflows = api.listWorkflows();
    const connection = api.getConnection();
    expect(socket().sent).toEqual([]);
    socket().fire('open');
    expect(socket().sent.map((f) => f.method)).toEqual(['listWorkflows', 'getConnection']);
    const [first, second] = socket().sent;
    socket().fire('message', { type: 'result', id: second!.id, ok: true, value: { status: 'connected' } });
    socket().fire('message', { type: 'result', id: first!.id, ok: true, value: [] });
    await expect(connection).resolves.toEqual({ status: 'connected' });
    await expect(workflows).resolves.toEqual([]);
  });

  it('rejects with an ApiCallError carrying the engine’s code', async () => {
    const { api, socket } = bridge();
    socket().fire('open');
    const call = api.listBatches('x');
    socket().fire('message', {
      type: 'result',
      id: socket().sent[0]!.id,
      ok: false,
      error: { code: 'invalid-arguments', message: 'bad id' },
    });
    await expect(call).rejects.toMatchObject({
      name: 'ApiCallError',
      code: 'invalid-arguments',
      message: 'bad id',
    });
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const { api, socket } = bridge();
    socket().fire('open');
    const seen = vi.fn();
    const off = api.onQueueChanged(seen);
    socket().fire('message', { type: 'event', event: 'queueChanged', payload: { reason: 'a' } });
    off();
    socket().fire('message', { type: 'event', event: 'queueChanged', payload: { reason: 'b' } });
    expect(seen.mock.calls).toEqual([[{ reason: 'a' }]]);
  });

  it('fails calls in flight when the socket drops, and reconnects', async () => {
    vi.useFakeTimers();
    try {
      const { api, socket } = bridge();
      socket().fire('open');
      const call = api.getSettings();
      const first = socket();
      first.fire('close');
      await expect(call).rejects.toMatchObject({ code: 'disconnected' });
      vi.advanceTimersByTime(1);
      expect(FakeSocket.instances).toHaveLength(2);
      expect(socket()).not.toBe(first);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('helpers', () => {
  it('builds the socket URL from the page’s host, with no token in it', () => {
    expect(socketUrlFor({ protocol: 'http:', host: '127.0.0.1:5000' })).toBe('ws://127.0.0.1:5000/ws');
    expect(socketUrlFor({ protocol: 'https:', host: 'localhost:5000' })).toBe('wss://localhost:5000/ws');
  });

  it('normalises rejections from the preload (plain objects) and anything else', () => {
    expect(toApiCallError({ code: 'not-connected', message: 'not connected' })).toBeInstanceOf(ApiCallError);
    expect(toApiCallError({ code: 'not-connected', message: 'not connected' }).code).toBe('not-connected');
    expect(toApiCallError(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
  });
});

describe('the access token', () => {
  function page(url: string, stored: string | null = null) {
    const parsed = new URL(url);
    const storage = new Map<string, string>(stored === null ? [] : [['alegion.token', stored]]);
    const replaced: string[] = [];
    const tokenPage: TokenPage = {
      location: { pathname: parsed.pathname, search: parsed.search, hash: parsed.hash },
      history: { state: null, replaceState: (_state, _title, next) => replaced.push(String(next)) },
      storage: {
        getItem: (key) => storage.get(key) ?? null,
        setItem: (key, value) => storage.set(key, value),
      },
    };
    return { tokenPage, storage, replaced };
  }

  it('takes it from the fragment, removes it from the address bar and keeps it for a reload of this tab', () => {
    const { tokenPage, storage, replaced } = page('http://127.0.0.1:5000/#token=abc_-1');
    expect(takeToken(tokenPage)).toBe('abc_-1');
    expect(replaced).toEqual(['/']);
    expect(storage.get('alegion.token')).toBe('abc_-1');
  });

  it('takes it from the query too, keeping the other parameters', () => {
    const { tokenPage, replaced } = page('http://127.0.0.1:5000/?view=queue&token=xyz#top=1');
    expect(takeToken(tokenPage)).toBe('xyz');
    expect(replaced).toEqual(['/?view=queue#top=1']);
  });

  it('falls back to the one kept for this tab, and to null', () => {
    expect(takeToken(page('http://127.0.0.1:5000/', 'kept').tokenPage)).toBe('kept');
    const bare = page('http://127.0.0.1:5000/');
    expect(takeToken(bare.tokenPage)).toBeNull();
    expect(bare.replaced).toEqual([]);
  });

  it('presents it as a subprotocol of every connection, never in the URL', () => {
    const { socket } = bridge();
    expect(socket().url).not.toContain('secret-token');
    expect(socket().protocols).toEqual(['alegion.v1', 'alegion-token.secret-token']);
  });
});

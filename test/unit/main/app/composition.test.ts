/**
 * The composition root's process-wide guarantees: every renderer sandboxed, the `app://` scheme privileged before
 * ready, every web contents hardened, and a second instance quitting in favour of the first.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: string[] = [];
const appEvents = new Map<string, (...args: unknown[]) => void>();
let lockGranted = false;
const schemes: unknown[] = [];

vi.mock('electron', () => ({
  app: {
    enableSandbox: () => calls.push('enableSandbox'),
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return lockGranted;
    },
    quit: () => calls.push('quit'),
    on: (event: string, handler: (...args: unknown[]) => void) => appEvents.set(event, handler),
    // Never ready: the test looks at what happens before.
    whenReady: () => new Promise(() => {}),
  },
  protocol: { registerSchemesAsPrivileged: (list: unknown[]) => schemes.push(...list) },
  shell: { openExternal: vi.fn() },
  BrowserWindow: class {},
  dialog: {},
  ipcMain: {},
  Menu: {},
  nativeImage: {},
  net: {},
  Notification: {},
  powerMonitor: {},
  safeStorage: {},
  session: {},
  Tray: class {},
}));

// electron-store loads the real electron package from node_modules, which the mock above does not reach.
vi.mock('electron-store', () => ({ default: class {} }));

beforeEach(() => {
  calls.length = 0;
  appEvents.clear();
  schemes.length = 0;
  vi.resetModules();
});

describe('main/app/index.ts', () => {
  it('quits when another instance holds the lock, after sandboxing and registering the scheme', async () => {
    lockGranted = false;
    await import('../../../../main/app/index.ts');
    expect(calls).toEqual(['enableSandbox', 'requestSingleInstanceLock', 'quit']);
    expect(schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ secure: true, standard: true }),
      }),
    ]);
    expect(appEvents.has('web-contents-created')).toBe(true);
    expect(appEvents.has('second-instance')).toBe(false);
  });

  it('holding the lock, it listens for second instances and hardens every web contents', async () => {
    lockGranted = true;
    await import('../../../../main/app/index.ts');
    expect(calls).not.toContain('quit');
    expect(appEvents.has('second-instance')).toBe(true);
    const handlers = new Map<string, unknown>();
    const contents = {
      on: (event: string, handler: unknown) => handlers.set(event, handler),
      setWindowOpenHandler: (handler: unknown) => handlers.set('open', handler),
    };
    appEvents.get('web-contents-created')!({}, contents);
    expect([...handlers.keys()].sort()).toEqual([
      'open',
      'will-attach-webview',
      'will-navigate',
      'will-redirect',
    ]);
  });
});

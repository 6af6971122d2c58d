/**
 * What the composition root installs once the app is ready, before anything loads: the permission handlers that
 * deny every request and check, and the `app://` protocol handler that serves the renderer. The fakes stop the
 * start-up right after (the first `getPath` throws), so the test sees exactly those two steps.
 */
import { describe, expect, it, vi } from 'vitest';

const installed = {
  permissionRequest: null as null | ((...args: unknown[]) => void),
  permissionCheck: null as null | ((...args: unknown[]) => unknown),
  devicePermission: null as null | ((...args: unknown[]) => unknown),
  protocols: new Map<string, (request: { url: string }) => Promise<Response> | Response>(),
};
const exited = vi.fn();

vi.mock('electron', () => ({
  app: {
    enableSandbox: () => {},
    requestSingleInstanceLock: () => true,
    quit: () => {},
    on: () => {},
    whenReady: () => Promise.resolve(),
    getPath: () => {
      throw new Error('start-up stops here in this test');
    },
    getVersion: () => '0.0.0-test',
    exit: exited,
  },
  protocol: {
    registerSchemesAsPrivileged: () => {},
    handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) =>
      installed.protocols.set(scheme, handler),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: (...args: unknown[]) => void) =>
        (installed.permissionRequest = handler),
      setPermissionCheckHandler: (handler: (...args: unknown[]) => unknown) =>
        (installed.permissionCheck = handler),
      setDevicePermissionHandler: (handler: (...args: unknown[]) => unknown) =>
        (installed.devicePermission = handler),
    },
  },
  dialog: { showErrorBox: () => {} },
  shell: { openExternal: vi.fn() },
  BrowserWindow: class {},
  ipcMain: {},
  Menu: {},
  nativeImage: {},
  net: {},
  Notification: { isSupported: () => false },
  powerMonitor: {},
  safeStorage: {},
  Tray: class {},
}));
vi.mock('electron-store', () => ({ default: class {} }));

describe('main/app/index.ts once ready', () => {
  it('denies every permission and serves app:// through its own handler before anything loads', async () => {
    await import('../../../../main/app/index.ts');
    await vi.waitFor(() => expect(exited).toHaveBeenCalledWith(1));

    expect(installed.permissionRequest).toBeTypeOf('function');
    const callback = vi.fn();
    installed.permissionRequest!({}, 'media', callback, {});
    installed.permissionRequest!({}, 'notifications', callback, {});
    expect(callback.mock.calls).toEqual([[false], [false]]);
    expect(installed.permissionCheck!({}, 'clipboard-read', 'app://renderer', {})).toBe(false);
    expect(installed.devicePermission!({ deviceType: 'usb' })).toBe(false);

    const serve = installed.protocols.get('app');
    expect(serve).toBeTypeOf('function');
    // The handler is the app's own: it answers inside the renderer build only.
    const foreign = await serve!({ url: 'app://elsewhere/index.html' });
    expect(foreign.status).toBe(404);
    const escape = await serve!({ url: 'app://renderer/..%2f..%2fpackage.json' });
    expect(escape.status).toBe(404);
  });
});

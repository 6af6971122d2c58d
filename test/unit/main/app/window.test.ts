/** The window's security settings: web preferences, navigation, new windows, external links and permissions. */
import { describe, expect, it, vi } from 'vitest';
import {
  denyPermissions,
  externalAllowed,
  hardenContents,
  isAppUrl,
  openExternalSafely,
  windowOptions,
} from '../../../../main/app/window.ts';

describe('windowOptions', () => {
  const prefs = windowOptions('/app/preload/index.cjs').webPreferences ?? {};

  it('isolates the renderer: context isolation, sandbox, no Node, web security on', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('loads the given preload', () => {
    expect(prefs.preload).toBe('/app/preload/index.cjs');
  });
});

describe('isAppUrl', () => {
  it.each([
    ['app://renderer/index.html', true],
    ['app://renderer/assets/x.js', true],
    ['app://other/index.html', false],
    ['file:///etc/passwd', false],
    ['https://alegion.com/', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => expect(isAppUrl(url)).toBe(expected));
});

describe('externalAllowed', () => {
  it.each([
    ['https://alegion.com/docs', true],
    ['https://docs.alegion.com/guide', true],
    ['http://alegion.com/', false],
    ['https://alegion.com.evil.example/', false],
    ['https://evil.example/', false],
    ['https://user:pw@alegion.com/', false],
    ['https://alegion.com:8443/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://alegion.com/share', false],
  ])('%s → %s', (url, expected) => expect(externalAllowed(url)).toBe(expected));

  it('opens only allowed links in the browser', () => {
    const shell = { openExternal: vi.fn(async () => {}) };
    expect(openExternalSafely(shell, 'https://evil.example/')).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
    expect(openExternalSafely(shell, 'https://alegion.com/')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://alegion.com/');
  });
});

/** A fake web contents that records its handlers. */
function fakeContents() {
  const handlers = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, handler: (event: { preventDefault(): void }, url?: string) => void) => {
      handlers.set(name, handler);
      return contents;
    },
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
      openHandler = handler;
    },
  };
  const fire = (name: string, url?: string): boolean => {
    let prevented = false;
    handlers.get(name)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('hardenContents', () => {
  it('denies navigation away from the app and allows the app itself', () => {
    const { contents, fire } = fakeContents();
    const shell = { openExternal: vi.fn(async () => {}) };
    hardenContents(contents as never, shell);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'app://renderer/index.html')).toBe(false);
  });

  it('refuses webviews', () => {
    const { contents, fire } = fakeContents();
    hardenContents(contents as never, { openExternal: vi.fn(async () => {}) });
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window, opening only allowlisted https links outside', () => {
    const { contents, open } = fakeContents();
    const shell = { openExternal: vi.fn(async () => {}) };
    hardenContents(contents as never, shell);
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('app://renderer/index.html')).toEqual({ action: 'deny' });
    expect(shell.openExternal).not.toHaveBeenCalled();
    expect(open('https://alegion.com/help')).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://alegion.com/help');
  });
});

describe('denyPermissions', () => {
  it('answers no to every permission request, check and device request', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    let device: (() => boolean) | null = null;
    denyPermissions({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
      setDevicePermissionHandler: (h: typeof device) => (device = h),
    } as never);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      request!(null, permission, (ok) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(check!()).toBe(false);
    expect(device!()).toBe(false);
  });
});

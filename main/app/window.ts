/**
 * The window's security settings in one place: the web preferences (context isolation, sandbox, no Node in the
 * renderer, web security), navigation and new windows denied, permission requests denied, webviews refused, and
 * links opened outside only when they are https and on the allowlist.
 */
import type { BrowserWindowConstructorOptions, Session, Shell, WebContents } from 'electron';
import { APP_ORIGIN } from './csp.ts';

/** Hosts whose https pages may be opened in the user's browser (help and the platform itself). */
const EXTERNAL_ALLOWLIST = ['alegion.com', 'www.alegion.com', 'app.alegion.com', 'docs.alegion.com'] as const;

/** The window options: every security-relevant web preference set explicitly. */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Alegion Uploader',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // Middle-click would open links in new windows, bypassing the window-open handler's intent.
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/** True when a URL belongs to the app itself (`app://renderer/...`). */
export function isAppUrl(url: string): boolean {
  try {
    // Node's URL gives custom schemes an opaque origin, so compare scheme and host instead.
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** True when a link may be opened in the user's browser: https, no credentials, an allowlisted host. */
export function externalAllowed(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    (EXTERNAL_ALLOWLIST as readonly string[]).includes(parsed.hostname)
  );
}

/** Opens an allowlisted https link in the user's browser; anything else is dropped. Returns whether it opened. */
export function openExternalSafely(shell: Pick<Shell, 'openExternal'>, url: string): boolean {
  if (!externalAllowed(url)) return false;
  // Reviewed: only https URLs on EXTERNAL_ALLOWLIST get here (checked just above).
  void shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
  return true;
}

/** Denies every navigation away from the app, every new window and every webview; allowlisted links go outside. */
export function hardenContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  shell: Pick<Shell, 'openExternal'>,
): void {
  contents.on('will-navigate', (event, url) => {
    // Reloading the app's own page is the only navigation there is.
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(shell, url);
    return { action: 'deny' };
  });
}

/** Denies every permission request and check (camera, notifications from the page, geolocation, …). */
export function denyPermissions(
  session: Pick<
    Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
  >,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Composition root of the desktop app: the single-instance lock, the `app://` scheme, the hardened window, the
 * engine with its native ports (settings file, keychain secrets, connectivity, notifications, dialogs), the IPC
 * bridge, and the tray. Everything security-relevant is decided in window.ts, protocol.ts and ipc.ts.
 */
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
} from 'electron';
import { createEngine } from '../engine.ts';
import type { Engine } from '../engine.ts';
import { defaultServices } from '../engine/default-services.ts';
import { createLogFile } from '../engine/log-file.ts';
import { createConnectivity } from './connectivity.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { createDialogs, createNotifier } from './native.ts';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, handleAppProtocol } from './protocol.ts';
import { createSecretStore } from './secret-store.ts';
import { openSettingsStore } from './settings-store.ts';
import { wireTrayAndTaskbar } from './tray.ts';
import { denyPermissions, hardenContents, windowOptions } from './window.ts';
import { showQueueProgress } from './taskbar-progress.ts';

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, '../preload/index.cjs');
const RENDERER = join(here, '../renderer');
const ICON = join(here, '../../build/icon.png');

let mainWindow: BrowserWindow | null = null;
let engine: Engine | null = null;

// Tests (and users who want a portable profile) may place the app's data elsewhere.
if (process.env.ALEGION_USER_DATA_DIR) app.setPath('userData', process.env.ALEGION_USER_DATA_DIR);
// Every renderer is sandboxed, whatever a window's options say.
app.enableSandbox();
// Must happen before `ready`: the scheme is standard and secure, so the page has an origin and a secure context.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
// Any web contents created anywhere (windows, devtools) gets the navigation and window-open rules.
app.on('web-contents-created', (_event, contents) => hardenContents(contents, shell));

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    void createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function createWindow(): Promise<void> {
  if (!engine) return;
  const options = windowOptions(PRELOAD);
  // The security preferences are restated at the constructor, where reviewers and scanners look for them.
  const win = new BrowserWindow({
    ...options,
    icon: ICON,
    webPreferences: {
      ...options.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  mainWindow = win;
  const stopEvents = forwardEvents(engine, win.webContents);
  const stopProgress = showQueueProgress(engine.events, win);
  win.on('closed', () => {
    stopEvents();
    stopProgress();
    if (mainWindow === win) mainWindow = null;
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY_URL);
}

async function main(): Promise<void> {
  await app.whenReady();
  denyPermissions(session.defaultSession);
  handleAppProtocol(protocol, RENDERER);

  const stateDir = app.getPath('userData');
  const settings = openSettingsStore({ projectVersion: app.getVersion() });
  const logFile = createLogFile(stateDir);
  const connectivity = createConnectivity(net, powerMonitor);
  engine = await createEngine({
    hostKind: 'electron',
    appVersion: app.getVersion(),
    platform: process.platform,
    stateDir,
    defaultDownloadDir: join(app.getPath('downloads'), 'Alegion'),
    browseRoots: [homedir()],
    settings,
    secrets: await createSecretStore(safeStorage, settings),
    connectivity,
    notifier: createNotifier(Notification),
    dialogs: createDialogs(dialog, shell, () => mainWindow),
    services: defaultServices(),
    log: logFile.log,
  });
  const running = engine;
  const unregister = registerIpc(ipcMain, running);
  await createWindow();

  const tray = new Tray(nativeImage.createFromPath(ICON).resize({ width: 16, height: 16 }));
  tray.on('click', showWindow);
  const stopTray = wireTrayAndTaskbar(
    tray,
    (template) => Menu.buildFromTemplate(template),
    running,
    () => mainWindow,
    showWindow,
    () => app.quit(),
  );

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    stopTray();
    tray.destroy();
    unregister();
    connectivity.dispose();
    void running.close().finally(() => app.exit(0));
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another instance holds the queue and the journal: hand over to it.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform === 'darwin') return;
    // Closing the window does not drop uploads in progress: they go on in the tray until done or quit.
    void (engine?.getQueueTotals() ?? Promise.resolve(null)).then((totals) => {
      const busy =
        totals !== null && totals.files.active + totals.files.waiting > 0 && totals.mode !== 'paused';
      if (!busy) {
        app.quit();
        return;
      }
      if (Notification.isSupported()) {
        new Notification({
          title: 'Still uploading',
          body: 'Alegion Uploader goes on in the tray; quit from there.',
        }).show();
      }
    });
  });
  app.on('activate', showWindow);
  main().catch((error: unknown) => {
    dialog.showErrorBox(
      'Alegion Uploader could not start',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
  });
}

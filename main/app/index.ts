/**
 * Composition root of the desktop app: the single-instance lock, the `app://` scheme, the hardened window, the
 * engine with its native ports (settings file, keychain secrets, connectivity, notifications, dialogs), the IPC
 * bridge, the tray, work in the background, the login item and updates. Everything security-relevant is decided in
 * window.ts, protocol.ts and ipc.ts; every background decision in plain modules (tray-state.ts, close-to-tray.ts,
 * quit-flow.ts, login-item.ts, update-policy.ts), so this file only connects them to Electron.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
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
import { createEngine } from '../engine/create-engine.ts';
import type { Engine } from '../engine/create-engine.ts';
import { defaultServices } from '../engine/default-services.ts';
import { createLogFile } from '../engine/log-file.ts';
import { lastWindowClosedHandler, trayNoticeMemory } from './close-to-tray.ts';
import { createConnectivity } from './connectivity.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { applyLoginItem, loginExecutable, loginItemPlan, startedHidden } from './login-item.ts';
import { createDialogs, createNotifier } from './native.ts';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, handleAppProtocol } from './protocol.ts';
import { installQuitFlow } from './quit-flow.ts';
import { createSecretStore } from './secret-store.ts';
import { openSettingsStore } from './settings-store.ts';
import { stateIcons } from './tray-icon.ts';
import { wireTrayAndTaskbar } from './tray.ts';
import { createUpdatePolicy } from './update-policy.ts';
import { electronUpdaterPort } from './updater.ts';
import { denyPermissions, hardenContents, windowOptions } from './window.ts';
import { showQueueProgress } from './taskbar-progress.ts';
import { trackWorkState, uploadsRunning } from './work-state.ts';

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, '../preload/index.cjs');
const RENDERER = join(here, '../renderer');
const ICON = join(here, '../../build/icon.png');

let mainWindow: BrowserWindow | null = null;
let engine: Engine | null = null;
/** Set once the engine runs: what closing the last window does then (before that, it quits). */
let onLastWindowClosed: (() => void) | null = null;

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

/** Applies "Start at login, hidden" to the installed app (a development build has no stable executable to start). */
function applyStartAtLogin(enabled: boolean, log: (message: string) => void): void {
  if (!app.isPackaged) return;
  const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  const plan = loginItemPlan(
    process.platform,
    enabled,
    loginExecutable(process.execPath, process.env),
    configHome,
  );
  void applyLoginItem(plan, {
    setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
    writeFile: async (path, contents) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, contents, 'utf8');
    },
    removeFile: (path) => rm(path, { force: true }),
  }).catch((error: unknown) => log(`start at login not applied: ${String(error)}`));
}

async function main(): Promise<void> {
  await app.whenReady();
  denyPermissions(session.defaultSession);
  handleAppProtocol(protocol, RENDERER);

  const stateDir = app.getPath('userData');
  const settings = openSettingsStore({ projectVersion: app.getVersion() });
  const logFile = createLogFile(stateDir);
  const connectivity = createConnectivity(net, powerMonitor);
  const notifier = createNotifier(Notification);
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
    notifier,
    dialogs: createDialogs(dialog, shell, () => mainWindow),
    services: defaultServices(),
    log: logFile.log,
  });
  const running = engine;
  const unregister = registerIpc(ipcMain, running);
  const work = trackWorkState(running);
  // A start from the login item opens no window: the work goes on in the tray.
  if (!startedHidden(process.argv, app.getLoginItemSettings().wasOpenedAtLogin)) await createWindow();

  let startAtLogin = (await running.getSettings()).startAtLogin ?? false;
  applyStartAtLogin(startAtLogin, logFile.log);
  const stopLoginSync = running.events.on('settingsChanged', (next) => {
    if ((next.startAtLogin ?? false) === startAtLogin) return;
    startAtLogin = next.startAtLogin ?? false;
    applyStartAtLogin(startAtLogin, logFile.log);
  });

  const trayIcon = nativeImage.createFromPath(ICON).resize({ width: 16, height: 16 });
  const tray = new Tray(trayIcon);
  tray.on('click', showWindow);
  const stopTray = wireTrayAndTaskbar(
    tray,
    stateIcons(trayIcon, (bitmap, size) => nativeImage.createFromBitmap(bitmap, size)),
    (template) => Menu.buildFromTemplate(template),
    work,
    running,
    () => mainWindow,
    showWindow,
    () => app.quit(),
  );
  onLastWindowClosed = lastWindowClosedHandler({
    work,
    memory: trayNoticeMemory(settings),
    notifier,
    quit: () => app.quit(),
  });

  const updates = createUpdatePolicy({
    updater: electronUpdaterPort(logFile.log),
    clock: {
      every: (ms, fn) => {
        const timer = setInterval(fn, ms);
        return () => clearInterval(timer);
      },
    },
    uploadsRunning: () => uploadsRunning(work.current().totals),
    askToRestart: async (version) => {
      const { response } = await dialog.showMessageBox({
        type: 'info',
        title: 'Update ready',
        message: `Alegion Uploader ${version} is ready.`,
        detail: 'Restart now to use it. Otherwise it is installed when you quit.',
        buttons: ['Restart now', 'Later'],
        defaultId: 0,
        cancelId: 1,
        noLink: true,
      });
      return response === 0;
    },
    quit: () => app.quit(),
    log: logFile.log,
  });
  const stopOffers = work.onChange(() => updates.workChanged());
  updates.start();

  // The system going down is no time for questions.
  let systemShuttingDown = false;
  powerMonitor.on('shutdown', () => {
    systemShuttingDown = true;
  });
  installQuitFlow({
    onBeforeQuit: (listener) => app.on('before-quit', listener),
    totals: () => work.current().totals,
    systemShuttingDown: () => systemShuttingDown,
    ask: (question) => dialog.showMessageBox(question),
    release: () => {
      stopOffers();
      updates.stop();
      stopLoginSync();
      stopTray();
      tray.destroy();
      work.dispose();
      unregister();
      connectivity.dispose();
    },
    closeEngine: () => running.close(),
    installOnQuit: () => updates.installOnQuit(),
    exit: (code) => app.exit(code),
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another instance holds the queue and the journal: hand over to it.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    // macOS apps stay open without windows; elsewhere the engine's state decides (close-to-tray.ts).
    if (process.platform === 'darwin') return;
    if (onLastWindowClosed) onLastWindowClosed();
    else app.quit();
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

/** electron-updater's `autoUpdater` behind the update policy's port (update-policy.ts holds every decision). */
import electronUpdater from 'electron-updater';
import type { UpdaterPort } from './update-policy.ts';

/** The real updater; its feed is `publish` in electron-builder.yml, written into the package as app-update.yml. */
export function electronUpdaterPort(log: (message: string) => void): UpdaterPort {
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = {
    info: (message?: unknown) => log(`updater: ${String(message)}`),
    warn: (message?: unknown) => log(`updater: ${String(message)}`),
    error: (message?: unknown) => log(`updater: ${String(message)}`),
    debug: () => {},
  };
  return {
    get autoDownload() {
      return autoUpdater.autoDownload;
    },
    set autoDownload(value: boolean) {
      autoUpdater.autoDownload = value;
    },
    get autoInstallOnAppQuit() {
      return autoUpdater.autoInstallOnAppQuit;
    },
    set autoInstallOnAppQuit(value: boolean) {
      autoUpdater.autoInstallOnAppQuit = value;
    },
    checkForUpdates: () => autoUpdater.checkForUpdates(),
    quitAndInstall: (isSilent, restart) => autoUpdater.quitAndInstall(isSilent, restart),
    onUpdateDownloaded: (listener) =>
      void autoUpdater.on('update-downloaded', (info) => listener(info.version)),
    onError: (listener) => void autoUpdater.on('error', listener),
  };
}

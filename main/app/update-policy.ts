/**
 * When the app updates itself: it checks at start and then daily, downloads in the background, offers to restart only
 * when no upload is running (once per version; asking again after a "Later" would nag), and installs only after the
 * engine has closed, so never while an upload runs. A failed check (offline, no update server) is logged and retried
 * at the next daily check.
 */

/** The part of electron-updater's `autoUpdater` the policy drives. */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  /** Runs the installer and quits; `restart` starts the new version afterwards. */
  quitAndInstall(isSilent: boolean, restart: boolean): void;
  onUpdateDownloaded(listener: (version: string) => void): void;
  onError(listener: (error: Error) => void): void;
}

export interface UpdateClock {
  /** Calls `fn` every `ms`; returns a function that stops it. */
  every(ms: number, fn: () => void): () => void;
}

interface UpdatePolicyDeps {
  updater: UpdaterPort;
  clock: UpdateClock;
  /** True while uploads would be interrupted by a restart (work-state.ts `uploadsRunning`). */
  uploadsRunning: () => boolean;
  /** Asks whether to restart now into `version`; resolves true for "Restart now". */
  askToRestart: (version: string) => Promise<boolean>;
  /** Quits the app the ordinary way (the engine closes; then `installOnQuit` is asked). */
  quit: () => void;
  log: (message: string) => void;
}

export const CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

interface UpdatePolicy {
  /** Checks now and then daily. */
  start(): void;
  /** The work changed: an offer held back while uploads ran may be made now. */
  workChanged(): void;
  /**
   * Called once the engine has closed on the way out: installs a downloaded update (restarting when the user chose
   * "Restart now") and returns true, or returns false when there is nothing to install.
   */
  installOnQuit(): boolean;
  stop(): void;
}

/** Creates the policy around an updater. */
export function createUpdatePolicy(deps: UpdatePolicyDeps): UpdatePolicy {
  const { updater, clock, log } = deps;
  let downloaded: string | null = null;
  let offered: string | null = null;
  let asking = false;
  let restartChosen = false;
  let stopTimer: (() => void) | null = null;

  // The installer runs only through installOnQuit, after the engine has closed.
  updater.autoInstallOnAppQuit = false;
  updater.autoDownload = true;

  const check = (): void => {
    void updater.checkForUpdates().catch((error: unknown) => {
      log(`update check failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  const maybeOffer = (): void => {
    if (!downloaded || offered === downloaded || asking || deps.uploadsRunning()) return;
    const version = downloaded;
    offered = version;
    asking = true;
    void deps
      .askToRestart(version)
      .then((restart) => {
        // Uploads may have started while the question was open: then the update waits for the quit.
        if (restart && !deps.uploadsRunning()) {
          restartChosen = true;
          deps.quit();
        } else if (restart) {
          offered = null;
          log(`update ${version} waits: uploads started before the restart`);
        }
      })
      .catch((error: unknown) => log(`could not offer update ${version}: ${String(error)}`))
      .finally(() => {
        asking = false;
      });
  };

  updater.onUpdateDownloaded((version) => {
    downloaded = version;
    log(`update ${version} downloaded`);
    maybeOffer();
  });
  updater.onError((error) => log(`update failed: ${error.message}`));

  return {
    start() {
      if (stopTimer) return;
      check();
      stopTimer = clock.every(CHECK_INTERVAL_MS, check);
    },
    workChanged: maybeOffer,
    installOnQuit() {
      if (!downloaded) return false;
      log(`installing update ${downloaded}${restartChosen ? ' and restarting' : ''}`);
      updater.quitAndInstall(true, restartChosen);
      return true;
    },
    stop() {
      stopTimer?.();
      stopTimer = null;
    },
  };
}

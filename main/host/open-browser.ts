/**
 * Opens the headless host's page in the user's default browser, where there is one. Where there is none (a server,
 * CI, `BROWSER=none`) or the launcher fails, nothing opens and the caller's printed URL is the way in.
 */
import open from 'open';

/** Why no browser will be tried, or null when one may be: the decision is kept apart from the launch for tests. */
export function noBrowserReason(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  // The convention of create-react-app, webpack-dev-server and others: BROWSER=none means "do not open one".
  if (env.BROWSER?.trim().toLowerCase() === 'none') return 'BROWSER=none';
  if (env.CI) return 'running under CI';
  // Windows and macOS always have a desktop; elsewhere a browser needs an X11 or Wayland display.
  const needsDisplay = platform !== 'win32' && platform !== 'darwin';
  if (needsDisplay && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display';
  return null;
}

/** Opens the URL in the default browser unless there is none; returns whether a launch was made. */
export async function openInBrowser(
  url: string,
  deps: {
    env?: NodeJS.ProcessEnv;
    platform?: NodeJS.Platform;
    launch?: (url: string) => Promise<unknown>;
    log: (line: string) => void;
  },
): Promise<boolean> {
  const reason = noBrowserReason(deps.env ?? process.env, deps.platform ?? process.platform);
  if (reason) {
    deps.log(`Not opening a browser (${reason}): open the URL above yourself.`);
    return false;
  }
  try {
    await (deps.launch ?? ((target: string) => open(target)))(url);
    return true;
  } catch (error) {
    // The URL holds the access token: a launcher's error that repeats it must not put it in a log.
    const detail = (error instanceof Error ? error.message : String(error)).replaceAll(url, 'the URL');
    deps.log(`Could not open the default browser (${detail}): open the URL above yourself.`);
    return false;
  }
}

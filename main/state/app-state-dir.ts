/**
 * Where the app keeps its local state (journals, export bookkeeping) when no `--state-dir` is given, following
 * each platform's convention for per-user application state.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The app's folder name inside the platform's state directory. */
const STATE_DIR_NAME = 'alegion-uploader';

/** Default per-user state directory: $XDG_STATE_HOME, ~/Library/Application Support or %LOCALAPPDATA%. */
export function defaultStateDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), STATE_DIR_NAME);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', STATE_DIR_NAME);
  // An XDG variable must be absolute to count (the spec says relative ones are to be ignored).
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'state');
  return join(base, STATE_DIR_NAME);
}

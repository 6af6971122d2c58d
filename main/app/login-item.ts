/**
 * "Start at login, hidden": the app starts with the session, in the tray only, so watched folders keep working after
 * a reboot. macOS and Windows take it through Electron's login items; Linux desktops read an XDG autostart entry.
 */
import { join } from 'node:path';

/**
 * The argument a login start carries (Windows and Linux). macOS login items take no arguments and Electron dropped
 * `openAsHidden` with macOS 13's login-item API: there the app asks `wasOpenedAtLogin` instead.
 */
export const HIDDEN_ARG = '--hidden';

/** The shape of Electron's `app.setLoginItemSettings` argument that this app uses. */
interface LoginItemSettings {
  openAtLogin: boolean;
  path?: string;
  args?: string[];
}

export type LoginItemPlan =
  | { kind: 'login-item'; settings: LoginItemSettings }
  | { kind: 'autostart-file'; path: string; contents: string | null };

/** The Linux autostart entry's name. */
export const AUTOSTART_FILE = 'alegion-uploader.desktop';

/**
 * Quotes a path for a desktop entry's Exec line, as the Desktop Entry spec says: inside double quotes, `"`, `` ` ``,
 * `$` and `\` take a backslash; then the whole value is escaped as every desktop-file string is (`\` doubled).
 */
function execQuote(path: string): string {
  const quoted = /[\s"'\\$`]/.test(path) ? `"${path.replace(/(["`$\\])/g, '\\$1')}"` : path;
  return quoted.replace(/\\/g, '\\\\');
}

/**
 * What to write for the option: Electron's login item on macOS and Windows, the autostart file (null contents: remove
 * it) elsewhere. `configHome` is `$XDG_CONFIG_HOME` or `~/.config`.
 */
export function loginItemPlan(
  platform: NodeJS.Platform,
  startAtLogin: boolean,
  executable: string,
  configHome: string,
): LoginItemPlan {
  if (platform === 'darwin') {
    return { kind: 'login-item', settings: { openAtLogin: startAtLogin } };
  }
  if (platform === 'win32') {
    return {
      kind: 'login-item',
      settings: { openAtLogin: startAtLogin, path: executable, args: [HIDDEN_ARG] },
    };
  }
  const contents = startAtLogin
    ? [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Alegion Uploader',
        'Comment=Keeps watched folders uploading into Alegion',
        `Exec=${execQuote(executable)} ${HIDDEN_ARG}`,
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n')
    : null;
  return { kind: 'autostart-file', path: join(configHome, 'autostart', AUTOSTART_FILE), contents };
}

/** True when this start came from the login item: the app then opens no window, only the tray. */
export function startedHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes(HIDDEN_ARG);
}

/** What applying a plan needs from Electron and the file system. */
interface LoginItemPorts {
  setLoginItemSettings(settings: LoginItemSettings): void;
  writeFile(path: string, contents: string): Promise<void>;
  removeFile(path: string): Promise<void>;
}

/** Applies a plan: the login item, or the autostart file written or removed. */
export async function applyLoginItem(plan: LoginItemPlan, ports: LoginItemPorts): Promise<void> {
  if (plan.kind === 'login-item') ports.setLoginItemSettings(plan.settings);
  else if (plan.contents === null) await ports.removeFile(plan.path);
  else await ports.writeFile(plan.path, plan.contents);
}

/** The file the login start runs: an AppImage's own path (the mounted binary moves at every start), else the binary. */
export function loginExecutable(execPath: string, env: NodeJS.ProcessEnv): string {
  return env.APPIMAGE ?? execPath;
}

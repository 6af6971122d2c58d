/**
 * "Start at login, hidden": Electron's login item on macOS and Windows (with --hidden where arguments exist), an XDG
 * autostart entry elsewhere, read back with Python's configparser and shlex as an independent parser, and a start from
 * the login item opening no window.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  applyLoginItem,
  AUTOSTART_FILE,
  HIDDEN_ARG,
  loginExecutable,
  loginItemPlan,
  startedHidden,
} from '../../../../main/app/login-item.ts';
import type { LoginItemPlan } from '../../../../main/app/login-item.ts';
import { defaultSettings, readSettings, writeSettings } from '../../../../main/engine/settings.ts';

/**
 * The entry as an independent reader sees it: Python's configparser for the keys, the spec's string escapes undone,
 * and the Exec line split by `sh` itself (the spec's quoting is the shell's double-quote rule).
 */
function readWithPython(contents: string): { entry: Record<string, string>; exec: string[] } {
  const script = String.raw`
import configparser, json, re, subprocess, sys
p = configparser.ConfigParser(interpolation=None)
p.optionxform = str
p.read_string(sys.stdin.read())
entry = dict(p["Desktop Entry"])
escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
line = re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), entry["Exec"])
out = subprocess.run(["sh", "-c", 'eval "set -- $0"; printf "%s\\0" "$@"', line], capture_output=True, check=True)
print(json.dumps({"entry": entry, "exec": out.stdout.decode().split("\0")[:-1]}))
`;
  const run = spawnSync('python3', ['-c', script], { input: contents, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { entry: Record<string, string>; exec: string[] };
}

describe('loginItemPlan', () => {
  it('uses the login item on Windows, starting the installed binary with --hidden', () => {
    expect(
      loginItemPlan('win32', true, 'C:\\Program Files\\Alegion Uploader\\Alegion Uploader.exe', 'unused'),
    ).toEqual({
      kind: 'login-item',
      settings: {
        openAtLogin: true,
        path: 'C:\\Program Files\\Alegion Uploader\\Alegion Uploader.exe',
        args: [HIDDEN_ARG],
      },
    });
    expect(loginItemPlan('win32', false, 'C:\\a.exe', 'unused')).toMatchObject({
      settings: { openAtLogin: false },
    });
  });

  it('uses the login item on macOS, which takes no arguments', () => {
    expect(loginItemPlan('darwin', true, '/Applications/Alegion Uploader.app/x', 'unused')).toEqual({
      kind: 'login-item',
      settings: { openAtLogin: true },
    });
  });

  it('writes an autostart entry on Linux that starts the app hidden, even from a path with spaces and quotes', () => {
    const executable = '/home/u/Apps/Alegion "beta" $HOME `id` \\o/alegion-uploader.AppImage';
    const plan = loginItemPlan('linux', true, executable, '/home/u/.config');
    expect(plan.kind).toBe('autostart-file');
    if (plan.kind !== 'autostart-file') return;
    expect(plan.path).toBe(`/home/u/.config/autostart/${AUTOSTART_FILE}`);
    const { entry, exec } = readWithPython(plan.contents!);
    expect(entry).toMatchObject({ Type: 'Application', Name: 'Alegion Uploader', Terminal: 'false' });
    expect(exec).toEqual([executable, HIDDEN_ARG]);
    const plain = loginItemPlan('linux', true, '/opt/alegion/alegion-uploader', '/c');
    expect(plain.kind === 'autostart-file' && readWithPython(plain.contents!).exec).toEqual([
      '/opt/alegion/alegion-uploader',
      HIDDEN_ARG,
    ]);
  });

  it('removes the autostart entry on Linux when turned off', () => {
    expect(loginItemPlan('linux', false, '/opt/a', '/c')).toEqual({
      kind: 'autostart-file',
      path: `/c/autostart/${AUTOSTART_FILE}`,
      contents: null,
    });
  });

  it('starts an AppImage from its own file, not from the mount that changes at every start', () => {
    expect(loginExecutable('/tmp/.mount_abc/alegion-uploader', { APPIMAGE: '/home/u/a.AppImage' })).toBe(
      '/home/u/a.AppImage',
    );
    expect(loginExecutable('/opt/alegion/alegion-uploader', {})).toBe('/opt/alegion/alegion-uploader');
  });
});

describe('applyLoginItem', () => {
  const fakes = () => {
    const calls: unknown[][] = [];
    return {
      calls,
      ports: {
        setLoginItemSettings: (settings: unknown) => void calls.push(['login-item', settings]),
        writeFile: async (path: string, contents: string) => void calls.push(['write', path, contents]),
        removeFile: async (path: string) => void calls.push(['remove', path]),
      },
    };
  };

  it('sets the login item, writes or removes the autostart file, as planned', async () => {
    for (const [plan, expected] of [
      [
        loginItemPlan('win32', true, 'C:\\a.exe', ''),
        ['login-item', { openAtLogin: true, path: 'C:\\a.exe', args: [HIDDEN_ARG] }],
      ],
      [loginItemPlan('linux', false, '/opt/a', '/c'), ['remove', `/c/autostart/${AUTOSTART_FILE}`]],
    ] as [LoginItemPlan, unknown[]][]) {
      const { calls, ports } = fakes();
      await applyLoginItem(plan, ports);
      expect(calls).toEqual([expected]);
    }
    const { calls, ports } = fakes();
    await applyLoginItem(loginItemPlan('linux', true, '/opt/a', '/c'), ports);
    expect(calls[0]?.slice(0, 2)).toEqual(['write', `/c/autostart/${AUTOSTART_FILE}`]);
    expect(String(calls[0]?.[2])).toContain(`Exec=/opt/a ${HIDDEN_ARG}`);
  });
});

describe('startedHidden', () => {
  it('opens no window when started with --hidden or at login on macOS', () => {
    expect(startedHidden(['/opt/a', HIDDEN_ARG], false)).toBe(true);
    expect(startedHidden(['/opt/a'], true)).toBe(true);
    expect(startedHidden(['/opt/a', '.'], false)).toBe(false);
  });
});

describe('the Start at login setting', () => {
  it('is off for a fresh install, and kept across restarts once turned on', () => {
    const values = new Map<string, unknown>();
    const store = {
      get: (key: string) => values.get(key),
      set: (key: string, value: unknown) => values.set(key, value),
    };
    const defaults = defaultSettings('/home/u/Downloads/Alegion');
    expect(readSettings(store, defaults).startAtLogin ?? false).toBe(false);
    writeSettings(store, readSettings(store, defaults), { startAtLogin: true });
    expect(readSettings(store, defaults).startAtLogin).toBe(true);
    // A hand-edited file with a wrong type falls back to off instead of breaking the start.
    values.set('settings', { ...(values.get('settings') as object), startAtLogin: 'yes' });
    expect(readSettings(store, defaults).startAtLogin ?? false).toBe(false);
  });
});

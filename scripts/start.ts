/**
 * `npm start`: build, then launch the desktop app. The Electron binary is fetched by the electron package's
 * installer (`npx install-electron`); where it is missing and cannot be fetched (no route to its download host),
 * say so in one paragraph and point at the headless alternative, which runs the same app in a browser.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

function electronBinary(): string | undefined {
  try {
    const path = require('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let binary = electronBinary();
if (!binary) {
  process.stderr.write('\nThe Electron binary is not installed yet: fetching it (npx install-electron)…\n');
  const install = spawnSync('npx', ['--no-install', 'install-electron'], {
    stdio: 'inherit',
    timeout: 180_000,
  });
  binary = install.status === 0 ? electronBinary() : undefined;
}
if (!binary) {
  process.stderr.write(
    '\nThe Electron binary could not be found or downloaded on this machine, so the desktop window cannot open.\n' +
      'Run the same app in your browser instead:  npm run serve\n' +
      '(it prints a local URL with an access token; open it in Chromium, Chrome, Edge or Firefox).\n',
  );
  process.exit(1);
}
const launch = spawnSync(binary, ['.'], { stdio: 'inherit' });
process.exit(launch.status ?? (launch.error ? 1 : 0));

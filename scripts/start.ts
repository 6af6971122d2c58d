/**
 * `npm start`: build (unless the build is newer than its sources), then launch the desktop app. The Electron binary is fetched by the electron package's
 * installer (`npx install-electron`). Where it is missing and cannot be fetched (no route to its download host),
 * the same app starts in the browser instead: the headless host (`serve`, as `npm run serve`) runs in a child
 * process, its URL opens in the default browser where there is one (and is printed either way), and Ctrl+C stops it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './build-freshness.ts';

const require = createRequire(import.meta.url);
const CLI = fileURLToPath(new URL('../main/host/cli.ts', import.meta.url));

function electronBinary(): string | undefined {
  try {
    const path = require('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the headless host until it stops; Ctrl+C and kill reach it and it closes the queue cleanly. */
function serveInBrowser(): void {
  process.stderr.write(
    '\nThe Electron binary could not be found or downloaded on this machine, so the desktop window cannot open.\n' +
      'Starting the same app in your browser instead (as `npm run serve`).\n\n',
  );
  const child = spawn(process.execPath, [CLI, 'serve', '--open', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // A terminal's Ctrl+C reaches the child too (same process group); a signal sent to this process alone is passed
  // on. Either way this process waits for the child to finish closing.
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (error) => {
    process.stderr.write(`Could not start the headless host: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
if (buildIsFresh(ROOT)) {
  process.stderr.write('The build is up to date with the sources: starting it.\n');
} else {
  const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', cwd: ROOT });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// ALEGION_START_NO_ELECTRON=1 goes straight to the browser: even asking the electron package for its binary would
// try to download it.
const noElectron = process.env.ALEGION_START_NO_ELECTRON === '1';
let binary = noElectron ? undefined : electronBinary();
if (!binary && !noElectron) {
  process.stderr.write('\nThe Electron binary is not installed yet: fetching it (npx install-electron)…\n');
  const install = spawnSync('npx', ['--no-install', 'install-electron'], {
    stdio: 'inherit',
    timeout: 180_000,
  });
  binary = install.status === 0 ? electronBinary() : undefined;
}
if (binary) {
  const launch = spawnSync(binary, ['.'], { stdio: 'inherit' });
  process.exit(launch.status ?? (launch.error ? 1 : 0));
} else {
  serveInBrowser();
}

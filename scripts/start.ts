/**
 * `npm start`: build, then launch the desktop app. Electron fetches its binary on first run; where that is not
 * possible (no network to its download host), say so and point at the headless alternative.
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

const binary = electronBinary();
const launch = binary
  ? spawnSync(binary, ['.'], { stdio: 'inherit' })
  : spawnSync('npx', ['electron', '.'], { stdio: 'inherit' });
if (launch.status !== 0 || launch.error) {
  process.stderr.write(
    '\nThe Electron binary could not be found or downloaded on this machine.\n' +
      'Run the same app in your browser instead:  npm run serve\n' +
      '(it prints a local URL with an access token; open it in Chromium, Chrome, Edge or Firefox).\n',
  );
  process.exit(1);
}

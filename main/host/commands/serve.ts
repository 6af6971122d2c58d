/**
 * `serve`: the app in a browser. Starts the engine and the headless host on 127.0.0.1 and prints the URL to open
 * (it carries the access token), and with `--open` opens it in the default browser. Ctrl+C stops it.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { resolveStateDir } from '../../uploads/index.ts';
import { DEFAULT_RENDERER_DIR, runHeadless } from '../headless/run.ts';
import { CliError, EXIT_USAGE } from '../cli-support.ts';
import { openInBrowser } from '../open-browser.ts';

const require = createRequire(import.meta.url);

interface ServeFlags {
  port: string;
  root: string[];
  stateDir?: string;
  rendererDir?: string;
  open?: boolean;
}

function appVersion(): string {
  try {
    return (require('../../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** From a source checkout, builds the renderer on first use (the build goes to out/renderer). */
function buildRendererIfMissing(): void {
  if (existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) return;
  const root = dirname(dirname(DEFAULT_RENDERER_DIR));
  process.stderr.write('Building the app for the browser (first run)…\n');
  spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
}

/** Registers the `serve` command. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (prints a URL with an access token)')
    .addOption(new Option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)').default('0'))
    .addOption(
      new Option('--root <dir>', 'folder the browser may add files from (repeatable)')
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([], 'your home folder'),
    )
    .addOption(new Option('--state-dir <dir>', 'where the queue, exports and settings live'))
    .addOption(new Option('--open', 'open the URL in the default browser (where there is one)'))
    .addOption(
      new Option('--renderer-dir <dir>', 'renderer build to serve (default: out/renderer)').hideHelp(),
    )
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliError(`--port "${flags.port}" is not a port number (0-65535)`, EXIT_USAGE);
      }
      const log = (line: string) => process.stderr.write(`${line}\n`);
      if (!flags.rendererDir) buildRendererIfMissing();
      let running: Awaited<ReturnType<typeof runHeadless>>;
      try {
        running = await runHeadless({
          stateDir: resolveStateDir(flags.stateDir),
          appVersion: appVersion(),
          port,
          roots: flags.root,
          ...(flags.rendererDir ? { rendererDir: flags.rendererDir } : {}),
          log,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`port ${port} is in use: choose another with --port`);
        throw new CliError(error instanceof Error ? error.message : String(error));
      }
      process.stdout.write(
        `Alegion Uploader is running. Open this URL in your browser (it holds the access token):\n\n  ${running.host.url}\n\n` +
          'API keys and passwords entered in the browser are kept in memory only on this host.\nPress Ctrl+C to stop.\n',
      );
      // Ctrl+C reaches a whole process group (npm, `npm start` and this process), so more than one signal may come:
      // every one is taken by this handler until the close is done, and none cuts the close short.
      let stop = (): void => {};
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const onSignal = (): void => stop();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        if (flags.open) await openInBrowser(running.host.url, { log });
        await stopped;
        await running.close();
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

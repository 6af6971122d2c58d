/**
 * Composes the headless host: the engine with file-backed settings, memory-only secrets, no native dialogs and
 * every path argument (the folder browser's included) limited to the allowed roots, served to a browser by the
 * HTTP + WebSocket host.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../engine/index.ts';
import type { Engine } from '../../engine/index.ts';
import { defaultServices } from '../../engine/index.ts';
import { createLogFile } from '../../engine/index.ts';
import type { ServicePorts } from '../../engine/index.ts';
import { createDownloadLinks } from './download-links.ts';
import { createToken } from './guard.ts';
import { openJsonSettingsStore } from './json-settings-store.ts';
import { createMemorySecretStore } from './memory-secret-store.ts';
import { startHeadlessHost } from './server.ts';
import type { HeadlessHost } from './server.ts';

/** Where `electron-vite build` puts the renderer, from this file's place in the source tree. */
export const DEFAULT_RENDERER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../out/renderer');

export interface HeadlessOptions {
  stateDir: string;
  appVersion: string;
  port?: number;
  roots?: string[];
  rendererDir?: string;
  token?: string;
  services?: ServicePorts;
  log?: (line: string) => void;
}

/** Starts the engine and the host; `close()` stops both. */
export async function runHeadless(
  options: HeadlessOptions,
): Promise<{ engine: Engine; host: HeadlessHost; close(): Promise<void> }> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`no renderer build in ${rendererDir}: run "npx electron-vite build" first`);
  }
  const logFile = createLogFile(options.stateDir);
  const log = (line: string): void => {
    logFile.log(line);
    options.log?.(line);
  };
  const roots = options.roots && options.roots.length > 0 ? options.roots : [homedir()];
  // The token is chosen here so the engine's download links and the host's route share it.
  const token = options.token ?? createToken();
  const downloadLinks = createDownloadLinks(token);
  const engine = await createEngine({
    hostKind: 'headless',
    appVersion: options.appVersion,
    platform: process.platform,
    stateDir: options.stateDir,
    defaultDownloadDir: join(homedir(), 'Downloads', 'Alegion'),
    browseRoots: roots,
    settings: openJsonSettingsStore(options.stateDir),
    secrets: createMemorySecretStore(),
    // The upload engine probes the API itself when requests fail; a server has no OS connectivity signal to add.
    connectivity: { isOnline: () => true, onChange: () => () => {} },
    notifier: { notify: (title, body) => log(`${title}: ${body}`) },
    dialogs: null,
    downloadLinks,
    services: options.services ?? defaultServices(),
    log,
  });
  try {
    const host = await startHeadlessHost({
      engine,
      rendererDir,
      roots,
      ...(options.port === undefined ? {} : { port: options.port }),
      token,
      downloadLinks,
    });
    return {
      engine,
      host,
      async close() {
        await host.close();
        await engine.close();
      },
    };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

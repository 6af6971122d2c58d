import { app, BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

/** Composition root of the desktop app. */
async function main(): Promise<void> {
  await app.whenReady();
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    webPreferences: {
      preload: join(here, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  await win.loadFile(join(here, '../renderer/index.html'));
}

void main();

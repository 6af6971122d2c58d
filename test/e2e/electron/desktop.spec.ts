/**
 * The real desktop app under Playwright's `_electron`: the hardened window, the exact bridge, the sandbox, and a
 * folder added the way a drop hands it over (paths from the preload's pathsForDroppedFiles). Runs where an Electron
 * binary exists (ELECTRON_E2E=1 or the `electron` package's binary is installed); elsewhere it is reported as
 * skipped. Needs the build (`npx electron-vite build`, part of `npm test`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { EVENT_NAMES, METHOD_NAMES, subscriptionName } from '../../../common/api.ts';
import type { AlegionBridge } from '../../../common/api.ts';

/**
 * The installed Electron binary, found the way the `electron` package finds it (path.txt + dist/) but without
 * requiring the package: requiring it starts a download when the binary is missing, and tests never reach out.
 */
function electronBinary(): string | null {
  try {
    const root = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const pathFile = join(root, 'path.txt');
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
    const candidate = override ? join(override, relative) : join(root, 'dist', relative);
    return existsSync(pathFile) || override ? (existsSync(candidate) ? candidate : null) : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const reason =
  process.env.ELECTRON_E2E === '1'
    ? 'skipped: ELECTRON_E2E=1 but the electron package has no binary installed'
    : 'skipped: no Electron binary on this machine (install one and set ELECTRON_E2E=1)';

test.describe('desktop app', () => {
  test.skip(binary === null, reason);

  let app: ElectronApplication;
  let page: Page;
  let dir: string;

  test.beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alegion-electron-e2e-'));
    await mkdir(join(dir, 'photos'));
    for (const name of ['image-16x12.png', 'image-16x12.jpg', 'image-16x12.gif']) {
      await cp(join('test/fixtures/media', name), join(dir, 'photos', name));
    }
    app = await electron.launch({
      executablePath: binary!,
      args: [process.cwd()],
      env: { ...process.env, ALEGION_USER_DATA_DIR: join(dir, 'user-data') },
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('serves the renderer from app:// with no Node in the page', async () => {
    expect(page.url()).toMatch(/^app:\/\/renderer\//);
    await expect(page.getByRole('heading', { name: 'Try the sandbox' })).toBeVisible();
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      isolated: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', isolated: 'undefined' });
  });

  test('exposes exactly the contract on window.alegion', async () => {
    const keys = await page.evaluate(() =>
      Object.keys((window as unknown as { alegion: object }).alegion).sort(),
    );
    const expected = [
      ...METHOD_NAMES,
      ...EVENT_NAMES.map((e) => subscriptionName(e)),
      'pathsForDroppedFiles',
    ].sort();
    expect(keys).toEqual(expected);
  });

  test('refuses to navigate away from the app', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/renderer\//);
  });

  test('starts the sandbox and uploads a dropped folder', async () => {
    await page.getByRole('button', { name: 'Try the sandbox' }).click();
    await expect(page.getByRole('navigation', { name: 'Workflows and batches' })).toBeVisible();
    const folder = join(dir, 'photos');
    const result = await page.evaluate(async (path) => {
      const api = (window as unknown as { alegion: AlegionBridge }).alegion;
      const workflows = await api.listWorkflows();
      const image = workflows.find((w) => w.kind === 'image')!;
      const scan = await api.scanPaths({ paths: [path], workflowId: image.id });
      for (;;) {
        const summary = await api.getScan(scan.scanId);
        if (summary.complete) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return api.queueScan({
        scanId: scan.scanId,
        target: { workflowId: image.id, newBatch: { name: 'Dropped', isEnabled: true } },
      });
    }, folder);
    expect(result.queued).toBe(3);
    await expect
      .poll(async () =>
        page.evaluate(
          async () =>
            (await (window as unknown as { alegion: AlegionBridge }).alegion.getQueueTotals()).files.done,
        ),
      )
      .toBe(3);
  });
});

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { scanInto } from './support/intake.ts';
import { checkScreen } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

test('the sandbox going offline mid-upload shows the banner, then the uploads resume by themselves', async () => {
  // Names without "offline" or "online", so the batch's own toasts cannot match the network check below.
  const folder = await makeMixedFolder(join(host.dataDir, 'link-drop'), 10);
  const dialog = await scanInto(page, folder.path, 'Link drop run', 10);
  host.sandbox().setFaults({ latencyMs: 300 });
  await dialog.getByRole('button', { name: 'Queue 10 files' }).click();
  await expect(dialog).toBeHidden();
  host.sandbox().setFaults({ offline: true });
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText(/Offline: \d+ uploads? waiting; they resume by themselves/);
  await checkScreen(page, 'queue-offline');
  host.sandbox().setFaults({ offline: false, latencyMs: 0 });
  await expect(page.getByTestId('files-done')).toContainText('10 of 10', { timeout: 90_000 });
  await expect(banner).toBeHidden();
  // The banner (and the top bar's status dot) tell of the network: no toast repeats it, going or coming back.
  await expect(page.getByTestId('toast').filter({ hasText: /offline|online/i })).toHaveCount(0);
});

test('a file that disappears before upload fails with its reason shown', async () => {
  const folder = await makeMixedFolder(join(host.dataDir, 'vanish'), 3);
  const dialog = await scanInto(page, folder.path, 'Vanishing file', 3);
  // Slow API calls keep the file waiting in the pipeline while it is removed from the disk.
  host.sandbox().setFaults({ latencyMs: 1500 });
  await dialog.getByRole('button', { name: 'Queue 3 files' }).click();
  await expect(dialog).toBeHidden();
  await rm(join(folder.path, 'shelf-001.jpg'));
  host.sandbox().setFaults({ latencyMs: 0 });
  await page
    .getByRole('group', { name: 'Show' })
    .getByRole('button', { name: /Failed/ })
    .click();
  const row = page.getByTestId('queue-row').filter({ hasText: 'shelf-001.jpg' });
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(row.getByTestId('row-error')).not.toBeEmpty();
  await expect(row.getByRole('button', { name: 'Retry shelf-001.jpg' })).toBeVisible();
  await checkScreen(page, 'queue-failed-reason');
});

test('a rotated API key blocks the queue with the reason, and nothing queued is lost', async () => {
  const chips = page.getByRole('group', { name: 'Show' });
  const count = async (label: string): Promise<number> =>
    Number(
      await chips
        .getByRole('button', { name: new RegExp(`^${label}`) })
        .locator('.chip-count')
        .textContent(),
    );
  await chips.getByRole('button', { name: /^All/ }).click();
  const before = { all: await count('All'), done: await count('Done'), failed: await count('Failed') };
  const folder = await makeMixedFolder(join(host.dataDir, 'rotated'), 8);
  const dialog = await scanInto(page, folder.path, 'Rotated key', 8);
  const sandbox = host.sandbox();
  const batchesBefore = new Set(Object.keys(sandbox.stats().recordsByBatch));
  const key = sandbox.options.apiKey;
  // Slow API calls keep uploads in flight while the key is rotated on the platform's side.
  sandbox.setFaults({ latencyMs: 400 });
  await dialog.getByRole('button', { name: 'Queue 8 files' }).click();
  await expect(dialog).toBeHidden();
  sandbox.setApiKey('rotated-by-an-admin');
  const banner = page.getByTestId('blocked-banner');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText(
    'Uploads stopped. The API key was rejected. Check the key for this profile.',
  );
  // The 8 files (and the junk skipped by the scan) are all still in the queue, none failed.
  await expect.poll(() => count('All')).toBe(before.all + 8 + folder.junk);
  expect(await count('Failed')).toBe(before.failed);
  await checkScreen(page, 'queue-key-rejected');
  // The banner says why the queue stopped; no toast says it again.
  await expect(page.getByTestId('toast').filter({ hasText: /API key/i })).toHaveCount(0);
  sandbox.setFaults({ latencyMs: 0 });
  sandbox.setApiKey(key);
  await banner.getByRole('button', { name: 'Try again' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => count('Done'), { timeout: 60_000 }).toBe(before.done + 8);
  expect(await count('Failed')).toBe(before.failed);
  const stats = sandbox.stats();
  const added = Object.entries(stats.recordsByBatch).filter(([id]) => !batchesBefore.has(id));
  expect(added).toHaveLength(1);
  const records = Object.values(added[0]?.[1] ?? {}).reduce((sum, n) => sum + n, 0);
  expect(records, 'every queued file became exactly one record').toBe(8);
  expect(stats.duplicateRecords).toBe(0);
});

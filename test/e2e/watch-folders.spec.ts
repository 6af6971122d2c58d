/**
 * Watch folders in the app, through the headless host: "Watch a folder…" on a batch, the folder picked in the host's
 * folder browser, files written into it uploaded into that batch once complete, the batch's list of watched folders
 * with its counts, and "Stop watching" (files written after it stay where they are). Screenshots of the list at
 * 900×600, 1280×800 and 1920×1080, of the dialog and of the browser, in both themes, each with an axe scan.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { E2eHost } from './support/host.ts';
import { checkScreen } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

const MEDIA = join(process.cwd(), 'test/fixtures/media');
const SIZES = [
  { width: 900, height: 600 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

/** Records in the batches made since `before` was taken, as the sandbox counts them. */
function recordsSince(before: Set<string>): number {
  return Object.entries(host.sandbox().stats().recordsByBatch)
    .filter(([id]) => !before.has(id))
    .reduce((sum, [, byStatus]) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
}

test('a folder watched from a batch uploads each new file into it, until watching stops', async () => {
  const camera = join(host.dataDir, 'camera');
  await mkdir(camera, { recursive: true });
  const batchesBefore = new Set(Object.keys(host.sandbox().stats().recordsByBatch));

  await page.getByRole('button', { name: 'New batch in Sandbox image boxes' }).click();
  const create = page.getByRole('dialog', { name: /New batch/ });
  await create.getByLabel('Batch name').fill('Camera drops');
  await create.getByRole('button', { name: 'Create batch' }).click();
  await expect(page.getByRole('heading', { name: 'Camera drops' })).toBeVisible();

  const main = page.getByRole('main');
  const section = main.getByRole('region', { name: 'Watched folders' });
  await expect(section.getByText('No folder is watched for this batch')).toBeVisible();

  await section.getByRole('button', { name: 'Watch a folder…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Watch this folder' });
  await expect(dialog.getByText('goes to “Camera drops” once it is complete')).toBeVisible();
  // Nothing chosen yet: said in words, nothing started.
  await dialog.getByRole('button', { name: 'Start watching' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose the folder to watch.');
  await dialog.getByLabel('Seconds unchanged before a file counts as complete').fill('0');
  await expect(dialog.getByText('Seconds unchanged must be 0.1–3,600.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Start watching' })).toBeDisabled();
  await dialog.getByLabel('Seconds unchanged before a file counts as complete').fill('1');
  // A folder that is not there is refused in words, and what was typed stays for a fix.
  const missing = join(host.dataDir, 'no-such-folder');
  await dialog.getByLabel('Folder').fill(missing);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Start watching' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(`${missing} does not exist.`);
  await expect(dialog.getByLabel('Folder')).toHaveValue(missing);

  // A browser tab has no native chooser: the host's folder browser picks the folder, with nothing to tick.
  await dialog.getByRole('button', { name: 'Choose…' }).click();
  const browser = page.getByRole('dialog', { name: 'Choose a folder to watch' });
  await expect(browser.getByRole('button', { name: 'Watch this folder' })).toBeDisabled();
  const listing = browser.getByRole('list', { name: 'Folder contents' });
  await listing.getByRole('button').first().click();
  await listing.getByRole('button', { name: 'data' }).click();
  await expect(listing.getByRole('button', { name: 'camera' })).toBeVisible();
  await expect(listing.getByRole('checkbox')).toHaveCount(0);
  await checkScreen(page, 'watch-folder-browser');
  await listing.getByRole('button', { name: 'camera' }).click();
  await expect(browser.getByText(camera)).toBeVisible();
  await browser.getByRole('button', { name: 'Watch this folder' }).click();
  await expect(browser).toBeHidden();
  await expect(dialog.getByLabel('Folder')).toHaveValue(camera);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await checkScreen(page, 'watch-folder-dialog');
  await dialog.getByRole('button', { name: 'Start watching' }).click();
  await expect(dialog).toBeHidden();

  const row = section.getByRole('listitem', { name: camera });
  await expect(row.getByText('Watching', { exact: true })).toBeVisible();
  await expect(row).toContainText('0 files queued');
  await expect(row).toContainText('complete after 1 s unchanged');

  for (const [i, name] of ['image-16x12.png', 'image-16x12.jpg', 'image-16x12.gif'].entries()) {
    await copyFile(join(MEDIA, name), join(camera, `drop-${i}${name.slice(name.lastIndexOf('.'))}`));
  }
  await expect(row).toContainText('3 files queued');
  await expect.poll(() => recordsSince(batchesBefore), { timeout: 60_000 }).toBe(3);
  // The batch follows them like any upload: its records arrive in the completion figures.
  await expect(page.getByTestId('records-sent')).toHaveText('3', { timeout: 60_000 });

  for (const size of SIZES) {
    await page.setViewportSize(size);
    await row.scrollIntoViewIfNeeded();
    await expect(row).toBeInViewport();
    await checkScreen(page, `watch-folders-${size.width}x${size.height}`);
  }
  await page.setViewportSize({ width: 1280, height: 860 });

  await row.getByRole('button', { name: `Stop watching ${camera}` }).click();
  await expect(section.getByText('No folder is watched for this batch')).toBeVisible();
  await copyFile(join(MEDIA, 'image-16x12.webp'), join(camera, 'after-stop.webp'));
  // Well past the settle time: a watch still running would have queued it by now.
  await page.waitForTimeout(4000);
  expect(recordsSince(batchesBefore)).toBe(3);
});

/**
 * Handling the list as people expect, through the headless host: columns sorted with aria-sort, Ctrl and Shift
 * multi-select acted on together, and a context menu (Retry, Pause, Cancel, Copy path, Copy asset id) by mouse
 * and keyboard. Each screen at 900×600, 1280×800 and 1920×1080 in both themes, with the axe scan.
 */
import { appendFile, copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { E2eHost } from './support/host.ts';
import { pngFolder } from './support/files.ts';
import { queueFolder } from './support/intake.ts';
import { checkAtEverySize } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

const rows = () => page.getByTestId('queue-row');
const names = () => rows().locator('.name');
const header = (name: string) => page.getByRole('columnheader', { name });

test('columns sort both ways and back, saying so with aria-sort', async () => {
  const folder = await pngFolder(join(host.dataDir, 'sorting'), 'img', 3);
  // A larger image (a GIF of 937 bytes to the PNGs' 178), so sorting by size has something to tell.
  await copyFile(join(process.cwd(), 'test/fixtures/media/image-16x12.gif'), join(folder, 'big.gif'));
  await queueFolder(page, folder, 'Sorting', 4);
  await expect(rows()).toHaveCount(4);
  await expect(page.getByTestId('files-done')).toContainText('of 4', { timeout: 60_000 });
  const added = await names().allTextContents();

  await header('File').getByRole('button').click();
  await expect(header('File')).toHaveAttribute('aria-sort', 'ascending');
  await expect(header('Size')).toHaveAttribute('aria-sort', 'none');
  await expect(names()).toHaveText(['big.gif', 'img-1.png', 'img-2.png', 'img-3.png']);
  await header('File').getByRole('button').click();
  await expect(header('File')).toHaveAttribute('aria-sort', 'descending');
  await expect(names()).toHaveText(['img-3.png', 'img-2.png', 'img-1.png', 'big.gif']);
  await header('Size').getByRole('button').click();
  await header('Size').getByRole('button').click();
  await expect(header('Size')).toHaveAttribute('aria-sort', 'descending');
  await expect(names().first()).toHaveText('big.gif');
  await checkAtEverySize(page, 'queue-sorted');
  // A third click goes back to the order the files were added.
  await header('Size').getByRole('button').click();
  await expect(header('Size')).toHaveAttribute('aria-sort', 'none');
  await expect(names()).toHaveText(added);
});

test('Ctrl and Shift select several rows, acted on together from the bar and the context menu', async () => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const first = rows().nth(0);
  await first.click({ position: { x: 300, y: 10 } });
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await rows()
    .nth(2)
    .click({ position: { x: 300, y: 10 }, modifiers: ['Shift'] });
  await expect(page.locator('[data-testid="queue-row"][aria-selected="true"]')).toHaveCount(3);
  await rows()
    .nth(1)
    .click({ position: { x: 300, y: 10 }, modifiers: ['ControlOrMeta'] });
  await expect(rows().nth(1)).toHaveAttribute('aria-selected', 'false');
  const bar = page.getByRole('group', { name: 'Selected files' });
  await expect(bar).toContainText('2 files selected');

  // The context menu of a selected row acts on the selection.
  await rows()
    .nth(0)
    .click({ button: 'right', position: { x: 300, y: 10 } });
  const menu = page.getByRole('menu', { name: 'Actions for 2 files' });
  await expect(menu.getByRole('menuitem', { name: 'Retry 2 files' })).toBeFocused();
  await checkAtEverySize(page, 'queue-context-menu');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(rows().nth(0)).toBeFocused();

  // From the keyboard, on one row (not selected): Copy path puts the path on the clipboard.
  await bar.getByRole('button', { name: 'Clear selection' }).click();
  const row = rows().nth(3);
  const name = (await row.locator('.name').textContent()) ?? '';
  await row.focus();
  await page.keyboard.press('Shift+F10');
  const single = page.getByRole('menu', { name: `Actions for ${name}` });
  // The browser has no file manager to open: Show in folder is the desktop app's alone.
  await expect(single.getByRole('menuitem', { name: 'Copy path' })).toBeVisible();
  await expect(single.getByRole('menuitem', { name: 'Show in folder' })).toHaveCount(0);
  await single.getByRole('menuitem', { name: 'Copy path' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied the path.' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(join(host.dataDir, 'sorting', name));
  // Uploaded: its asset id is one click away too, the one its details show.
  await expect(row).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await row.click({ button: 'right', position: { x: 300, y: 10 } });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Copy asset id' }).click();
  const assetId = await page.evaluate(() => navigator.clipboard.readText());
  expect(assetId).toMatch(/^[0-9a-f-]{36}$/);
  await row.getByRole('button', { name: `Details for ${name}` }).click();
  await expect(page.getByRole('dialog')).toContainText(assetId);
  await page.keyboard.press('Escape');
});

test('the window title shows the progress; keys do the main actions and ? lists them', async () => {
  const folder = await pngFolder(join(host.dataDir, 'titled'), 'pic', 3);
  host.sandbox().setFaults({ latencyMs: 1500 });
  await queueFolder(page, folder, 'Titled', 3);
  await expect(page).toHaveTitle(/^\d+% · \d of 3 files – Alegion Uploader$/);
  // P pauses everything (the title says so) and P again resumes.
  await page.getByRole('heading', { name: 'Upload queue' }).click();
  await page.keyboard.press('p');
  await expect(page.getByTestId('paused-banner')).toBeVisible();
  await expect(page).toHaveTitle(/^Paused · \d+% · \d of 3 files/);
  await page.keyboard.press('p');
  await expect(page.getByTestId('paused-banner')).toBeHidden();
  host.sandbox().setFaults({ latencyMs: 0 });
  await expect(page).toHaveTitle('Alegion Uploader', { timeout: 60_000 });

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help.getByRole('row', { name: /A Add files…/ })).toBeVisible();
  await expect(help.getByRole('row', { name: /\? Show these shortcuts/ })).toBeVisible();
  await checkAtEverySize(page, 'shortcuts-help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // A opens Add files; typing in its field is not taken for a shortcut.
  await page.keyboard.press('a');
  const add = page.getByRole('dialog', { name: 'Add files' });
  await add.getByLabel('Add by path').fill('pqr');
  await expect(add.getByLabel('Add by path')).toHaveValue('pqr');
  await expect(page.getByTestId('paused-banner')).toHaveCount(0);
  await add.getByRole('button', { name: 'Cancel' }).click();
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search by file name' })).toBeFocused();
});

test("an image's details show its thumbnail, and none once the file changed", async () => {
  const png = await readFile(join(process.cwd(), 'test/fixtures/media/image-16x12.png'));
  // The PNG's own header says its size: width and height at bytes 16 and 20.
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const row = page.getByTestId('queue-row').filter({ hasText: 'pic-1.png' });
  await row.getByText('pic-1.png', { exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /pic-1\.png/ });
  const preview = dialog.getByRole('img', { name: 'Preview of pic-1.png' });
  await expect(preview).toBeVisible();
  const natural = await preview.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  expect(natural).toEqual([width, height]);
  await checkAtEverySize(page, 'item-preview');
  await page.keyboard.press('Escape');

  // Changed on disk since it was added: no preview of a file that is not the one queued.
  await appendFile(join(host.dataDir, 'titled', 'pic-2.png'), 'more bytes');
  await page
    .getByTestId('queue-row')
    .filter({ hasText: 'pic-2.png' })
    .getByText('pic-2.png', { exact: true })
    .click();
  const changed = page.getByRole('dialog', { name: /pic-2\.png/ });
  await expect(changed.getByTestId('item-preview')).toHaveText(
    'No preview: the file changed since it was added.',
  );
  await expect(changed.getByRole('img')).toHaveCount(0);
  await page.keyboard.press('Escape');
});

/**
 * The add dialog and the queue as a new user expects them, through the headless host: the workflow that fits the
 * files, files sent before flagged with an upload-again choice, every counted file in the queue (a file deleted
 * after the scan fails with its reason; skipped files are listed), totals of the current work with Clear finished,
 * and a drop overlay and folder browser that fit the browser host. Each screen at 900×600, 1280×800 and 1920×1080.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { E2eHost } from './support/host.ts';
import { pngFolder } from './support/files.ts';
import { openScan } from './support/intake.ts';
import { checkAtEverySize } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

const PNG = join(process.cwd(), 'test/fixtures/media/image-16x12.png');

const chip = (name: RegExp) => page.getByRole('group', { name: 'Show' }).getByRole('button', { name });

test('the dialog starts on the workflow that fits the files, says why, and warns before a misfit', async () => {
  const folder = await pngFolder(join(host.dataDir, 'shelf'), 'img', 5, true);
  const dialog = await openScan(page, folder);
  await expect(dialog.getByTestId('scan-total')).toContainText('5 files');
  const workflow = dialog.getByRole('combobox', { name: /^Workflow/ });
  // Not the first workflow listed ("Sandbox general records", which takes no files): the one whose name says images.
  await expect(workflow.locator('option:checked')).toHaveText('Sandbox image boxes');
  await expect(dialog.getByTestId('workflow-kind')).toHaveText(/^Takes images, judging by its name/);
  await expect(dialog.getByTestId('kind-warning')).toHaveCount(0);
  // After the scan, the focus is on the next decision, not lost to the page.
  await expect(workflow).toBeFocused();

  await workflow.selectOption({ label: 'Sandbox general records' });
  await expect(dialog.getByTestId('kind-warning')).toContainText('takes no files');
  await checkAtEverySize(page, 'add-kind-warning');
  await workflow.selectOption({ label: 'Sandbox image boxes' });
  await expect(dialog.getByTestId('kind-warning')).toHaveCount(0);

  // A file deleted between the scan and Queue still becomes a row, failed with its reason.
  await rm(join(folder, 'img-3.png'));
  await dialog.getByLabel('New batch name').fill('Shelf');
  await dialog.getByRole('button', { name: 'Queue 5 files' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('files-done')).toContainText('4 of 5', { timeout: 60_000 });
  const gone = page.getByTestId('queue-row').filter({ hasText: 'img-3.png' });
  await expect(gone).toHaveAttribute('data-state', 'failed');
  await expect(gone).toContainText('File not found: it was moved or deleted after it was added.');
  // The empty file the scan listed as skipped is in the Skipped filter, with its reason.
  await chip(/^Skipped/).click();
  await expect(page.getByTestId('queue-row').filter({ hasText: 'empty.png' })).toContainText('Empty file');
  await expect(chip(/^Skipped/)).toContainText('1');
  await checkAtEverySize(page, 'queue-vanished-skipped');
  await chip(/^All/).click();
});

test('files sent before are flagged for the chosen workflow, with the choice to send them again', async () => {
  const dialog = await openScan(page, join(host.dataDir, 'shelf'));
  await expect(dialog.getByTestId('scan-total')).toContainText('4 files');
  // The workflow used last for images is the default now, and it is known from what it took.
  await expect(dialog.getByRole('combobox', { name: /^Workflow/ }).locator('option:checked')).toHaveText(
    'Sandbox image boxes',
  );
  await expect(dialog.getByTestId('workflow-kind')).toHaveText('Takes images: 4 items sent to it before.');
  const before = dialog.getByTestId('uploaded-before');
  await expect(before).toContainText('4 files uploaded to this workflow before');
  await expect(dialog.getByRole('button', { name: 'Queue 0 files' })).toBeDisabled();
  await before.getByText('Which files').click();
  await expect(before.locator('li')).toHaveText(['img-1.png', 'img-2.png', 'img-4.png', 'img-5.png']);
  await checkAtEverySize(page, 'add-uploaded-before');
  await before.getByRole('checkbox', { name: 'Upload them again' }).check();
  await expect(dialog.getByRole('button', { name: 'Queue 4 files' })).toBeEnabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

test('totals count the current work, and Clear finished takes finished adds out of the list', async () => {
  const folder = await pngFolder(join(host.dataDir, 'second'), 'pic', 3);
  const dialog = await openScan(page, folder);
  await dialog.getByLabel('New batch name').fill('Second');
  await dialog.getByRole('button', { name: 'Queue 3 files' }).click();
  await expect(dialog).toBeHidden();
  // The first add is finished (one file failed): the new one counts on its own.
  await expect(page.getByTestId('files-done')).toContainText('3 of 3', { timeout: 60_000 });
  await expect(chip(/^All/)).toContainText('9');
  await page.getByRole('button', { name: 'Clear finished' }).click();
  // The second add is cleared; the first keeps its failed file, so it stays.
  await expect(chip(/^All/)).toContainText('6');
  await expect(page.getByTestId('queue-row').filter({ hasText: 'pic-1.png' })).toHaveCount(0);
  await expect(page.getByTestId('queue-row').filter({ hasText: 'img-3.png' })).toHaveCount(1);
  await checkAtEverySize(page, 'queue-cleared');
});

test('in the browser, dragging files over the window says a drop cannot work and what to do', async () => {
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'photo.png', { type: 'image/png' }));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }));
  });
  const overlay = page.getByTestId('drop-overlay');
  await expect(overlay).toContainText('Dropping does not work in a browser');
  await expect(overlay).toContainText('use Add files… to choose them');
  await checkAtEverySize(page, 'drop-refused');
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'photo.png', { type: 'image/png' }));
    window.dispatchEvent(new DragEvent('dragleave', { dataTransfer: data, bubbles: true }));
  });
  await expect(overlay).toBeHidden();
});

test('the folder browser sorts names as the queue does, counts what it lists and selects all', async () => {
  const folder = join(host.dataDir, 'sorted');
  await pngFolder(folder, 'img', 10);
  await mkdir(join(folder, 'sub'));
  await copyFile(PNG, join(folder, 'sub', 'a.png'));
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const intake = page.getByRole('dialog', { name: 'Add files' });
  await intake.getByRole('button', { name: 'Browse…' }).click();
  const browser = page.getByRole('dialog', { name: 'Choose files and folders' });
  await browser.getByRole('button', { name: host.dataDir.replace(/\/data$/, ''), exact: true }).click();
  await browser.getByRole('button', { name: 'data', exact: true }).click();
  await browser.getByRole('button', { name: 'sorted', exact: true }).click();
  const names = browser.getByRole('list', { name: 'Folder contents' }).locator('li .entry');
  await expect(names).toHaveText(['sub', ...Array.from({ length: 10 }, (_, i) => `img-${i + 1}.png`)]);
  await expect(browser.getByTestId('browser-counts')).toHaveText(/^1 folder, 10 files \(.+\)$/);
  await expect(browser.getByRole('list', { name: 'Folder contents' })).toContainText('Folder · 1 item');
  await browser.getByRole('checkbox', { name: 'Select all' }).check();
  await expect(browser).toContainText('11 items selected');
  await checkAtEverySize(page, 'folder-browser');
  await browser.getByRole('button', { name: 'Add selected' }).click();
  await expect(intake.getByTestId('scan-total')).toContainText('11 files');
  await intake.getByRole('button', { name: 'Cancel' }).click();
});

/**
 * The add dialog and the queue as a new user expects them, through the headless host: the workflow that fits the
 * files, files sent before flagged with an upload-again choice, every counted file in the queue (a file deleted
 * after the scan fails with its reason; skipped files are listed), totals of the current work with Clear finished,
 * one clear Pause all, focus that stays on the list, honest retries, a batch error next to the batch, and a drop
 * overlay and folder browser that fit the browser host. Each screen at 900×600, 1280×800 and 1920×1080.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { E2eHost } from './support/host.ts';
import { pngFolder } from './support/files.ts';
import { checkAtEverySize } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

const PNG = join(process.cwd(), 'test/fixtures/media/image-16x12.png');

async function openScan(folder: string) {
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add files' });
  await dialog.getByLabel('Add by path').fill(folder);
  await dialog.getByRole('button', { name: 'Scan' }).click();
  return dialog;
}

const chip = (name: RegExp) => page.getByRole('group', { name: 'Show' }).getByRole('button', { name });

test('the dialog starts on the workflow that fits the files, says why, and warns before a misfit', async () => {
  const folder = await pngFolder(join(host.dataDir, 'shelf'), 'img', 5, true);
  const dialog = await openScan(folder);
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
  const dialog = await openScan(join(host.dataDir, 'shelf'));
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
  const dialog = await openScan(folder);
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

test('Pause all says it once, counts the waiting files as paused, and the focus stays on a 2,000-row list', async () => {
  const folder = join(host.dataDir, 'many');
  await pngFolder(folder, 'frame', 2000);
  const dialog = await openScan(folder);
  await expect(dialog.getByTestId('scan-total')).toContainText('2,000 files');
  await dialog.getByLabel('New batch name').fill('Many');
  // A slow platform: nothing finishes before the pause.
  host.sandbox().setFaults({ latencyMs: 4000 });
  await dialog.getByRole('button', { name: 'Queue 2,000 files' }).click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });
  await page.getByRole('group', { name: 'All uploads' }).getByRole('button', { name: 'Pause all' }).click();
  host.sandbox().setFaults({ latencyMs: 0 });
  const banner = page.getByTestId('paused-banner');
  await expect(banner).toHaveText('Paused. 2,000 files wait until you resume.');
  await expect(chip(/^Paused/)).toContainText('2,000');
  await expect(page.getByRole('button', { name: 'Resume all' })).toHaveCount(1);

  // Home, End and Page keys keep the focus on a row of the list.
  const list = page.getByTestId('queue-scroll');
  await page
    .getByTestId('queue-row')
    .first()
    .click({ position: { x: 300, y: 10 } });
  const focusedRow = page.locator('[data-testid="queue-row"]:focus');
  for (const key of ['End', 'Home', 'PageDown', 'End', 'PageUp', 'Home']) {
    await page.keyboard.press(key);
    await expect(focusedRow).toHaveCount(1);
  }
  await page.keyboard.press('End');
  await expect(focusedRow).toHaveAttribute('data-index', String(2005));
  await expect(list).toBeVisible();
  await checkAtEverySize(page, 'queue-paused');
  await page.getByRole('button', { name: 'Resume all' }).click();
  await expect(banner).toBeHidden();
  await page.getByRole('button', { name: /^Cancel all/ }).click();
  await page.getByRole('button', { name: /^Confirm: cancel/ }).click();
  await expect(page.getByRole('button', { name: 'Cancel all' })).toBeDisabled({ timeout: 30_000 });
});

test('a file whose upload keeps failing says it is retrying, with the attempt, the wait and the reason', async () => {
  const folder = await pngFolder(join(host.dataDir, 'flaky'), 'flaky', 1);
  host.sandbox().setFaults({ putCutRate: 1, putCutAfterBytes: 0 });
  const dialog = await openScan(folder);
  await dialog.getByLabel('New batch name').fill('Flaky');
  await dialog.getByRole('button', { name: 'Queue 1 file' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId('queue-row').filter({ hasText: 'flaky-1.png' });
  await expect(row.getByTestId('row-retry')).toHaveText(
    /^Retrying \(attempt [2-8] of 8, (in \d+ s|now)\): .+/,
    {
      timeout: 30_000,
    },
  );
  await expect(row.locator('.badge')).toHaveText('Retrying');
  await checkAtEverySize(page, 'queue-retrying');
  // Out of tries, it fails saying so; once the storage takes uploads again, Retry sends it.
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 90_000 });
  await expect(row.getByTestId('row-error')).toContainText('Gave up after 8 attempts.');
  host.sandbox().setFaults({ putCutRate: 0 });
  await row.getByRole('button', { name: 'Retry flaky-1.png' }).click();
  await expect(row).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
});

test('a batch that cannot be created says so next to the batch, in a sentence, with progress meanwhile', async () => {
  const folder = await pngFolder(join(host.dataDir, 'refused'), 'refused', 2);
  const dialog = await openScan(folder);
  await dialog.getByLabel('New batch name').fill('Refused');
  host.sandbox().setFaults({ errorRate: 1 });
  await dialog.getByRole('button', { name: 'Queue 2 files' }).click();
  await expect(dialog.getByTestId('queuing-progress')).toBeVisible();
  await expect(dialog.getByTestId('queuing-progress')).toContainText('Waiting for Alegion to answer');
  const error = dialog.getByRole('group', { name: 'Batch' }).getByTestId('queue-error');
  // A capitalised sentence that names the batch, not the client's lowercase wording.
  await expect(error).toHaveText(/^The batch “Refused” could not be created\. [A-Z].+\.$/, {
    timeout: 60_000,
  });
  await expect(error).not.toContainText('the API failed');
  host.sandbox().setFaults({ errorRate: 0 });
  await checkAtEverySize(page, 'add-batch-error');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
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

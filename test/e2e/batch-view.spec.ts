/**
 * The batch view as a labeling lead reads it, through the headless host: completion counts the files still on
 * their way, every figure shows once, and the ids can be copied.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { createImageBatch } from './support/intake.ts';
import { useSandboxSession } from './support/session.ts';
import { checkAtEverySize } from './support/screens.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

const sidebar = () => page.getByRole('navigation', { name: 'Workflows and batches' });

test('completion counts the files still on their way: "0 of 6 sent", then "6 records · 100% final"', async () => {
  await createImageBatch(page, 'Arriving shelf');

  // Slow requests keep the files in the queue long enough to pause it before any record is made.
  host.sandbox().setFaults({ latencyMs: 3000 });
  const folder = await makeMixedFolder(join(host.dataDir, 'arriving'), 6);
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add files' });
  await dialog.getByLabel('Add by path').fill(folder.path);
  await dialog.getByRole('button', { name: 'Scan' }).click();
  await expect(dialog.getByRole('combobox', { name: 'Existing batch' })).toHaveText(/Arriving shelf/);
  await dialog.getByRole('button', { name: 'Queue 6 files' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Pause all' }).click();
  await expect(page.getByRole('button', { name: 'Resume all' }).first()).toBeVisible();
  host.sandbox().setFaults({ latencyMs: 0 });

  const link = sidebar().getByRole('button', { name: /Arriving shelf/ });
  await expect(link.getByTestId('batch-summary')).toHaveText(/^\d of 6 sent · \d+% of those final$/);
  await link.click();
  const main = page.getByRole('main');
  await expect(main.getByTestId('batch-completion-summary')).toContainText(
    /\d of 6 sent · \d+% of those final/,
  );
  const sent = Number(await main.getByTestId('records-sent').textContent());
  await expect(main.getByTestId('files-coming')).toHaveText(String(6 - sent));
  await expect(main.getByTestId('batch-done')).toHaveCount(0);
  // Each figure shows once: the card's results, exceptions and canceled are not repeated as batch counts.
  await expect(main.getByTestId('count-exceptions')).toHaveCount(0);
  await expect(main.getByTestId('count-complete')).toHaveCount(0);
  await checkAtEverySize(page, 'batch-files-coming');

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('button', { name: 'Resume all' }).first().click();
  await expect(link.getByTestId('batch-summary')).toHaveText('6 records · 100% final', { timeout: 90_000 });
  await link.click();
  await expect(main.getByTestId('batch-done')).toBeVisible();
  await expect(main.getByTestId('files-coming')).toHaveCount(0);
  await expect(main.getByTestId('batch-completion-summary')).toContainText('6 records · 100% final');
});

test('the whole exception and canceled list filters, sorts (aria-sort) and downloads as CSV', async () => {
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { name: 'Arriving shelf', level: 1 })).toBeVisible();
  const statuses = Object.values(host.sandbox().stats().recordsByBatch).at(-1) ?? {};
  const listed = (statuses.exception ?? 0) + (statuses.canceled ?? 0);
  expect(listed, 'the labelers leave some exceptions or cancel some records').toBeGreaterThan(0);
  const table = main.getByRole('table', { name: 'Exception and canceled records' });
  await expect(table).toHaveAttribute('aria-rowcount', String(listed + 1));

  // Sorting by file: ascending, then descending, announced by aria-sort.
  const fileHeader = table.getByRole('columnheader', { name: 'File' });
  await expect(fileHeader).toHaveAttribute('aria-sort', 'none');
  await fileHeader.getByRole('button').click();
  await expect(fileHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(table.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'none');
  const names = async () => table.locator('.record-file-name').allTextContents();
  const ascending = await names();
  expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  await fileHeader.getByRole('button').click();
  await expect(fileHeader).toHaveAttribute('aria-sort', 'descending');
  expect(await names()).toEqual([...ascending].reverse());

  // Filtering by text keeps the records whose file matches.
  const first = ascending[0] as string;
  await main.getByRole('searchbox', { name: /Filter records/ }).fill(first);
  await expect(main.getByTestId('records-shown')).toHaveText(`1 of ${listed} shown`);
  await main.getByRole('searchbox', { name: /Filter records/ }).fill('');
  await checkAtEverySize(page, 'batch-records-list', table);

  // Save as CSV: the browser downloads it; Python's csv module reads every listed record back.
  const downloading = page.waitForEvent('download');
  await main.getByRole('button', { name: 'Save as CSV' }).click();
  const download = await downloading;
  // The download folder may hold an earlier run's file: the new one never overwrites it.
  expect(download.suggestedFilename()).toMatch(/^Arriving shelf exceptions and canceled( \(\d+\))?\.csv$/);
  expect(download.url()).not.toContain(host.url.split('#token=')[1] as string);
  const text = await readFile((await download.path()) as string, 'utf8');
  const read = spawnSync(
    'python3',
    [
      '-c',
      'import csv,io,json,sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline="")))))',
    ],
    { input: text, encoding: 'utf8' },
  );
  const rows = JSON.parse(read.stdout) as { file: string; status: string; record_id: string }[];
  expect(rows).toHaveLength(listed);
  expect(rows.filter((r) => r.status === 'canceled')).toHaveLength(statuses.canceled ?? 0);
  // Saved in the order shown (by file, descending).
  expect(rows.map((r) => r.file)).toEqual([...ascending].reverse());
});

test('a file’s details show its record’s labeling outcome, and every id can be copied', async () => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { name: 'Arriving shelf', level: 1 })).toBeVisible();
  // The batch id is shown and copies exactly.
  const ids = main.getByTestId('batch-ids');
  const batchId = (await ids.locator('.id-text').first().textContent()) as string;
  expect(Object.keys(host.sandbox().stats().recordsByBatch)).toContain(batchId);
  await ids.getByRole('button', { name: 'Copy batch id' }).click();
  await expect(ids.getByRole('status').first()).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(batchId);

  // A record of the list: its status, and the file it came from.
  const row = main.getByTestId('record-row').first();
  const file = (await row.locator('.record-file-name').textContent()) as string;
  const status = (await row.locator('.badge').textContent()) as string;
  const recordId = (await row.locator('.id-text').first().textContent()) as string;
  await row.getByRole('button', { name: `Copy record id of ${file}` }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(recordId);

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Queue' }).click();
  const opener = page.getByTestId('queue-row').filter({ hasText: file });
  await opener.getByRole('cell').nth(2).click();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: new RegExp(file.replace('.', '\\.')) });
  const labeling = dialog.getByTestId('item-labeling');
  await expect(labeling.locator('.badge')).toHaveText(status);
  await expect(dialog.getByText('Nothing went wrong')).toHaveCount(0);
  await expect(dialog.locator('dt:text-is("Record id") + dd .id-text')).toHaveText(recordId);
  await dialog.getByRole('button', { name: 'Copy asset id' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^[0-9a-f-]{36}$/);
  await checkAtEverySize(page, 'item-details-labeling');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('settings: the folder browser picks the download folder, and "Diagnostics copied" stands by its button', async () => {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Choose…' }).click();
  const picker = page.getByRole('dialog', { name: 'Choose the download folder' });
  const folders = picker.getByRole('list', { name: 'Folders' });
  // The host's allowed root, then its data folder inside.
  await folders.getByRole('button').first().click();
  await folders.getByRole('button', { name: 'data', exact: true }).click();
  await checkAtEverySize(page, 'settings-download-folder-picker');
  await picker.getByRole('button', { name: 'Choose this folder' }).click();
  await expect(picker).toBeHidden();
  await expect(page.getByLabel('Download folder')).toHaveValue(host.dataDir);
  // A picked folder applies at once.
  await expect(page.getByTestId('settings-state')).toHaveText('Saved.');

  const support = page.getByRole('region', { name: 'Support' });
  await support.getByRole('button', { name: 'Copy diagnostics' }).click();
  await expect(support.getByRole('status')).toHaveText(/Diagnostics copied to the clipboard/);
  await expect(
    page.getByRole('form', { name: 'Uploads and downloads' }).getByText(/Diagnostics copied/),
  ).toHaveCount(0);
});

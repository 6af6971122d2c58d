import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { checkScreen } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

const IMAGES = 24;
let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

test('a folder added by path is scanned, summarised and queued into a new batch', async () => {
  const folder = await makeMixedFolder(join(host.dataDir, 'shelf'), IMAGES);
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add files' });
  await dialog.getByLabel('Add by path').fill(folder.path);
  await dialog.getByRole('button', { name: 'Scan' }).click();
  await expect(dialog.getByTestId('scan-total')).toContainText(`${IMAGES} files`);
  await expect(dialog.getByTestId('scan-total')).toContainText(`${folder.junk} skipped`);
  const found = dialog.getByRole('region', { name: 'What was found' });
  await found.getByText('Skipped files and why').click();
  await expect(found.getByText('readme.xyz')).toBeVisible();
  await dialog.getByRole('combobox', { name: /^Workflow/ }).selectOption({ label: 'Sandbox image boxes' });
  await dialog.getByLabel('New batch name').fill('Round trip');
  await checkScreen(page, 'add-files-summary');
  await dialog.getByRole('button', { name: /^Queue \d+ files$/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Upload queue' })).toBeVisible();
});

test('the uploads complete, and a skipped file shows its reason', async () => {
  await expect(page.getByTestId('files-done')).toContainText(`${IMAGES} of ${IMAGES}`, { timeout: 60_000 });
  await expect(page.getByTestId('queue-row').first()).toBeVisible();
  await checkScreen(page, 'queue-done');
  const skipped = page.getByRole('group', { name: 'Show' }).getByRole('button', { name: /Skipped/ });
  await skipped.click();
  await expect(page.getByTestId('row-error').first()).not.toBeEmpty();
  await checkScreen(page, 'queue-skipped-reason');
  await skipped.click();
});

test('the batch reaches done with the exception and canceled totals the sandbox reports, and lists them', async () => {
  await page
    .getByRole('navigation', { name: 'Workflows and batches' })
    .getByRole('button', { name: /Round trip/ })
    .click();
  await expect(page.getByTestId('batch-done')).toBeVisible({ timeout: 90_000 });
  const byBatch = Object.values(host.sandbox().stats().recordsByBatch);
  expect(byBatch).toHaveLength(1);
  const statuses = byBatch[0] ?? {};
  const exceptions = statuses.exception ?? 0;
  const canceled = statuses.canceled ?? 0;
  expect(exceptions, 'the labelers leave some exceptions unresolved').toBeGreaterThan(0);
  expect(canceled, 'the labelers cancel some records').toBeGreaterThan(0);
  expect(statuses.complete ?? 0, 'the labelers complete some records').toBeGreaterThan(0);
  expect(exceptions + canceled + (statuses.complete ?? 0)).toBe(IMAGES);
  await expect(page.getByTestId('records-sent')).toHaveText(String(IMAGES));
  await expect(page.getByTestId('exceptions-total')).toHaveText(String(exceptions));
  await expect(page.getByTestId('canceled-total')).toHaveText(String(canceled));
  await expect(page.getByTestId('results-available')).toHaveText(String(statuses.complete));
  const table = page.getByTestId('records-table');
  // Every exception and canceled record is in the list (virtualized: the rows in view are rendered).
  await expect(table).toHaveAttribute('aria-rowcount', String(exceptions + canceled + 1));
  await expect(page.getByTestId('records-shown')).toHaveText(
    `${exceptions + canceled} of ${exceptions + canceled} shown`,
  );
  await expect(table.getByRole('columnheader').first()).toHaveText('File');
  // Every record was uploaded by this app: each is named after its file, its status in words.
  const firstCells = table.locator('[data-testid="record-row"] .record-file-name');
  await expect(firstCells.first()).toBeVisible();
  for (const name of await firstCells.allTextContents())
    expect(name).toMatch(/^shelf-\d{3}\.(png|jpg|gif|webp)$/);
  const chips = page.getByRole('group', { name: 'Show records' });
  await chips.getByRole('button', { name: 'Exceptions' }).click();
  await expect(page.getByTestId('records-shown')).toHaveText(
    `${exceptions} of ${exceptions + canceled} shown`,
  );
  await chips.getByRole('button', { name: 'Canceled' }).click();
  await expect(page.getByTestId('records-shown')).toHaveText(`${canceled} of ${exceptions + canceled} shown`);
  await expect(table.getByText(/^(exception|canceled)$/)).toHaveCount(0);
  await chips.getByRole('button', { name: 'All' }).click();
  await checkScreen(page, 'batch-done');
});

test('an export of the batch lands in the download folder', async () => {
  const downloads = join(host.dataDir, 'downloads');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Download folder').fill(downloads);
  // Settings apply at once: no Save to press.
  await expect(page.getByTestId('settings-state')).toHaveText('Saved.');

  // "Export…" on the batch opens the form on that batch's workflow with the batch ticked.
  await page
    .getByRole('navigation', { name: 'Workflows and batches' })
    .getByRole('button', { name: /Round trip/ })
    .click();
  await page.getByRole('button', { name: 'Export…' }).click();
  const form = page.getByRole('region', { name: 'New export' });
  await expect(form.getByRole('combobox', { name: /^Workflow/ })).toHaveValue(
    (await form.getByRole('option', { name: 'Sandbox image boxes' }).getAttribute('value')) ?? 'missing',
  );
  await expect(form.getByRole('checkbox', { name: 'Round trip' })).toBeChecked();
  // The form is a form: Enter in a field starts the export.
  await form.getByLabel('Destination').press('Enter');
  const row = page.getByTestId('export-row').first();
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  // The browser host has no file manager: the export downloads into the browser instead of "Show in folder".
  await expect(row.getByRole('button', { name: 'Show in folder' })).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Download' })).toBeVisible();
  await expect(row.getByTestId('export-scope')).toHaveText('Sandbox image boxes · Round trip');
  const name = /^Round trip results \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\.zip$/;
  await expect(row.locator('.export-name')).toHaveText(name);
  const results = host.sandbox().stats().recordsByBatch;
  const complete = Object.values(results)[0]?.complete ?? 0;
  await expect(
    row.getByText(complete === 1 ? '1 result' : `${complete} results`, { exact: true }),
  ).toBeVisible();
  // The history shows the job, so the form's "started" line is gone.
  await expect(form.getByText(/started\.$/)).toHaveCount(0);
  await checkScreen(page, 'exports-done');
  const files = existsSync(downloads) ? readdirSync(downloads).filter((f) => !f.endsWith('.part')) : [];
  expect(files.length).toBe(1);
  expect(files[0]).toMatch(name);
  expect(statSync(join(downloads, files[0] as string)).size).toBeGreaterThan(0);

  // Downloaded into the browser, it is byte for byte the file in the download folder, and Info-ZIP reads it.
  const downloading = page.waitForEvent('download');
  await row.getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(files[0]);
  expect(download.url()).not.toContain(host.url.split('#token=')[1] as string);
  const got = (await download.path()) as string;
  const md5 = (path: string) => createHash('md5').update(readFileSync(path)).digest('hex');
  expect(md5(got)).toBe(md5(join(downloads, files[0] as string)));
  expect(spawnSync('unzip', ['-tq', got], { encoding: 'utf8' }).status).toBe(0);
});

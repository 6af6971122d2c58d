/**
 * Importing a records file through the headless host: the dialog checks the file before anything is sent (a
 * Windows-1252 CSV is refused with its line and the fix, then read with the encoding chosen and its separator
 * detected), imports it, knows on a second look that every row went to that batch before, and sends them again only
 * when asked to.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { E2eHost } from './support/host.ts';
import { recordsSince } from './support/records-count.ts';
import { checkAtEverySize } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

test('a records file is checked before it is sent, imported once, and again only on purpose', async () => {
  await mkdir(host.dataDir, { recursive: true });
  const file = join(host.dataDir, 'excel-export.csv');
  // What Excel's "CSV (Comma delimited)" writes in a French locale: Windows-1252, semicolons.
  await writeFile(
    file,
    Buffer.from(
      'text;label;metadata\r\nCr\xe8me br\xfbl\xe9e;dessert;r1\r\nStra\xdfe;street;r2\r\nNo\xebl;name;\r\n',
      'latin1',
    ),
  );
  const batchesBefore = new Set(Object.keys(host.sandbox().stats().recordsByBatch));

  await page.getByRole('banner').getByRole('button', { name: 'Import records…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import records' });
  await dialog.getByLabel('Records file (JSON, JSONL or CSV)').fill(file);
  await expect(dialog.getByRole('combobox', { name: 'Workflow' })).toHaveText(/Sandbox general records/);
  await dialog.getByLabel('New batch name').fill('Records e2e');
  await dialog.getByRole('button', { name: 'Check file' }).click();

  // Not UTF-8: the first bad line, the byte, and the fix; nothing can be imported.
  const plan = dialog.getByTestId('records-plan');
  await expect(plan.getByRole('alert')).toContainText('Line 2:');
  await expect(plan.getByRole('alert')).toContainText('not valid UTF-8 (byte 0xE8');
  await expect(plan.getByRole('alert')).toContainText(
    'save it as CSV UTF-8, or choose windows-1252 under Encoding',
  );
  await expect(dialog.getByRole('button', { name: /^Import/ })).toHaveCount(0);
  await checkAtEverySize(page, 'records-bad-encoding');

  // Any change to the form puts the plan away; with the encoding chosen, the plan counts the rows and says how
  // the file was read.
  await dialog.getByRole('combobox', { name: 'Encoding' }).selectOption('windows-1252');
  await expect(plan).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Check file' }).click();
  await expect(plan).toContainText('3 records');
  await expect(plan).toContainText('Windows-1252 (as chosen)');
  await expect(plan).toContainText('semicolon-separated (detected from the header)');
  // In a short window the plan sits below the form: it is what this screen is about.
  await plan.scrollIntoViewIfNeeded();
  await checkAtEverySize(page, 'records-plan');
  await dialog.getByRole('button', { name: 'Import 3 records' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => recordsSince(host.sandbox(), batchesBefore)).toBe(3);

  // The same file into the same batch: every row went there before, so nothing is sent unless asked.
  await page.getByRole('banner').getByRole('button', { name: 'Import records…' }).click();
  await dialog.getByLabel('Records file (JSON, JSONL or CSV)').fill(file);
  await dialog.getByRole('combobox', { name: 'Encoding' }).selectOption('windows-1252');
  await dialog.getByRole('radio', { name: /^Existing batch/ }).check();
  await dialog.getByRole('combobox', { name: 'Existing batch' }).selectOption({ label: 'Records e2e' });
  await dialog.getByRole('button', { name: 'Check file' }).click();
  await expect(plan).toContainText('3 records imported into this batch before');
  await expect(plan).toContainText('they are left out');
  await expect(dialog.getByRole('button', { name: 'Nothing new to import' })).toBeDisabled();
  await plan.scrollIntoViewIfNeeded();
  await checkAtEverySize(page, 'records-already-imported');

  await plan.getByLabel('Import the 3 records imported before again').check();
  await dialog.getByRole('button', { name: 'Import 3 records' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => recordsSince(host.sandbox(), batchesBefore)).toBe(6);
  expect(host.sandbox().stats().duplicateImportRecords).toBe(3);
});

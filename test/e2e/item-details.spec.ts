/**
 * "What happened to this file": from a queue row, the user opens a file's details and sees its state, its reason
 * and every failed attempt. One file's uploads are cut by the sandbox (it is retried, then goes through); another
 * vanishes from the disk (it fails). Screenshots of the dialog in both themes, and an accessibility scan.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { reasonText } from '../../renderer/reason-text.ts';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { queueFolder } from './support/intake.ts';
import { checkScreen } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

test('a file whose uploads are cut: its details show each attempt as it happens, then the file done', async () => {
  const folder = await makeMixedFolder(join(host.dataDir, 'cut'), 1);
  await queueFolder(page, folder.path, 'Cut uploads', 1, () =>
    host.sandbox().setFaults({ putCutRate: 1, putCutAfterBytes: 0 }),
  );
  // Keyboard: Enter on the focused row opens its details.
  const opener = page.getByTestId('queue-row').filter({ hasText: 'nested/shelf-000.png' });
  await opener.getByRole('cell').nth(2).click();
  await expect(opener).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'nested/shelf-000.png' });
  await expect(dialog).toBeVisible();
  // The history grows while the dialog is open: each cut upload is one more attempt.
  const entries = dialog.getByTestId('history-entry');
  await expect.poll(() => entries.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await expect(entries.first()).toContainText('Uploading');
  await expect(entries.first().getByRole('cell').nth(1)).toHaveText('1');
  await expect(entries.nth(1).getByRole('cell').nth(1)).toHaveText('2');
  await expect(entries.first().getByRole('cell').nth(3)).not.toBeEmpty();
  await expect(dialog.getByText('Sandbox image boxes')).toBeVisible();
  await expect(dialog.getByText('Cut uploads')).toBeVisible();
  await checkScreen(page, 'item-details-retrying');

  host.sandbox().setFaults({ putCutRate: 0 });
  await expect(dialog.locator('dt:text-is("Upload") + dd .badge')).toHaveText('Done', { timeout: 60_000 });
  const tries = await entries.count();
  expect(tries).toBeGreaterThanOrEqual(2);
  await expect(dialog.getByTestId('history-summary')).toContainText(
    `${tries} tries of this file ended in an error`,
  );
  // Once registered and recorded, the asset and record ids are known.
  await expect(dialog.locator('dt:text-is("Asset id") + dd .id-text')).toHaveText(/^[0-9a-f-]{36}$/);
  await expect(dialog.locator('dt:text-is("Record id") + dd .id-text')).toHaveText(/^[0-9a-f-]{36}$/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test('a file that vanished fails; its details show the reason and the attempt', async () => {
  const folder = await makeMixedFolder(join(host.dataDir, 'vanish'), 3);
  // Slow API calls keep the files in the pipeline while one is removed from the disk.
  await queueFolder(page, folder.path, 'Vanishing file', 3, () =>
    host.sandbox().setFaults({ latencyMs: 1500 }),
  );
  await rm(join(folder.path, 'shelf-001.jpg'));
  host.sandbox().setFaults({ latencyMs: 0 });
  await page
    .getByRole('group', { name: 'Show' })
    .getByRole('button', { name: /Failed/ })
    .click();
  const row = page.getByTestId('queue-row').filter({ hasText: 'shelf-001.jpg' });
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  const rowReason = (await row.getByTestId('row-error').textContent()) ?? '';
  expect(rowReason).not.toBe('');
  // The app says it in a plain sentence, the row and the dialog alike (the row's text is already that sentence or
  // the engine's wording it comes from).
  const reason = reasonText(rowReason);
  expect(reason).toBe('File not found: it was moved or deleted after it was added.');
  expect(rowReason).toBe(reason);

  const opener = row.getByRole('button', { name: 'Details for shelf-001.jpg' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'shelf-001.jpg' });
  await expect(dialog.getByTestId('item-reason')).toHaveText(reason);
  const entries = dialog.getByTestId('history-entry');
  await expect(entries).toHaveCount(1);
  await expect(entries.first().getByRole('cell').nth(1)).toHaveText('1');
  await expect(entries.first().getByRole('cell').nth(3)).toHaveText(reason);
  await expect(dialog.getByText(join(folder.path, 'shelf-001.jpg'))).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Retry this file' })).toBeVisible();
  await checkScreen(page, 'item-details-failed');
  // Retried while still missing, it fails again: the dialog shows the second attempt as it happens.
  await dialog.getByRole('button', { name: 'Retry this file' }).click();
  await expect(entries).toHaveCount(2, { timeout: 30_000 });
  await expect(entries.nth(1).getByRole('cell').nth(1)).toHaveText('2');
  await expect(entries.nth(1).getByRole('cell').nth(3)).toHaveText(reason);
  await expect(dialog.getByTestId('item-reason')).toHaveText(reason);
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  // The file name opens the same details with the pointer.
  await row.getByText('shelf-001.jpg', { exact: true }).click();
  await expect(dialog.getByTestId('item-reason')).toHaveText(reason);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

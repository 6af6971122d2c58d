/**
 * The batch view as a labeling lead reads it, through the headless host: completion counts the files still on
 * their way, every figure shows once, and the ids can be copied.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { createImageBatch } from './support/intake.ts';
import { useSandboxSession } from './support/session.ts';
import { checkAtEverySize } from './support/window-sizes.ts';

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
  await expect(main.getByTestId('batch-completion-summary')).toContainText(/\d of 6 sent · \d+% of those final/);
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

/**
 * The queue when work stops, through the headless host: one clear Pause all over 2,000 files with the focus kept on
 * the list, honest retries that say their attempt, wait and reason, and a batch that cannot be created, said next to
 * the batch. Each screen at 900×600, 1280×800 and 1920×1080.
 */
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

const chip = (name: RegExp) => page.getByRole('group', { name: 'Show' }).getByRole('button', { name });

test('Pause all says it once, counts the waiting files as paused, and the focus stays on a 2,000-row list', async () => {
  const folder = join(host.dataDir, 'many');
  await pngFolder(folder, 'frame', 2000);
  const dialog = await openScan(page, folder);
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
  // End lands on the list's last row, whatever else the queue held before.
  const rows = Number((await chip(/^All/).locator('.chip-count').textContent())?.replace(/\D/g, ''));
  expect(rows).toBeGreaterThanOrEqual(2000);
  await page.keyboard.press('End');
  await expect(focusedRow).toHaveAttribute('data-index', String(rows - 1));
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
  const dialog = await openScan(page, folder);
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
  const dialog = await openScan(page, folder);
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

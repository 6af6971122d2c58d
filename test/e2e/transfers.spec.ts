/**
 * The queue as transfers, through the headless host: one transfer per add, each from 0% with its own counts,
 * speed and time left, folding open to its files; a summary when it ends (done, skipped, failed, each one click
 * from its files) with Retry failed; Clear finished and the history of past transfers. Each screen at 900×600,
 * 1280×800 and 1920×1080 in both themes, with the axe scan.
 */
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { E2eHost } from './support/host.ts';
import { pngFolder } from './support/files.ts';
import { scanInto } from './support/intake.ts';
import { checkAtEverySize } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

const transfers = () => page.getByRole('list', { name: 'Transfers in the list' });
const transfer = (title: string) => transfers().getByTestId('transfer').filter({ hasText: title });
const chip = (name: RegExp) => page.getByRole('group', { name: 'Show' }).getByRole('button', { name });

test('each add is a transfer with its own progress; it ends with a summary whose counts open its files', async () => {
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Transfers' })).toContainText('No transfers in the list');
  const alpha = await pngFolder(join(host.dataDir, 'alpha'), 'a', 3);
  const dialog = await scanInto(page, alpha, 'Alpha', 3);
  await dialog.getByRole('button', { name: 'Queue 3 files' }).click();
  await expect(dialog).toBeHidden();
  const first = transfer('alpha → Alpha');
  await expect(first.getByTestId('transfer-summary')).toContainText('3 done', { timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Transfer “alpha” finished' })).toContainText(
    'Transfer “alpha” finished: 3 done, 0 failed.',
  );

  // A second add, slowed down: it starts at 0% of its own files, whatever the first one sent.
  const beta = await pngFolder(join(host.dataDir, 'beta'), 'b', 4);
  const second = await scanInto(page, beta, 'Beta', 4);
  // Moved away between the scan and Queue: it fails with its reason (and comes back unchanged later).
  await mkdir(join(host.dataDir, 'aside'), { recursive: true });
  await rename(join(beta, 'b-2.png'), join(host.dataDir, 'aside', 'b-2.png'));
  host.sandbox().setFaults({ latencyMs: 1500 });
  await second.getByRole('button', { name: 'Queue 4 files' }).click();
  await expect(second).toBeHidden({ timeout: 60_000 });
  const row = transfer('beta → Beta');
  await expect(row.getByRole('progressbar', { name: 'Progress of beta → Beta' })).toHaveAttribute(
    'aria-valuenow',
    '0',
  );
  await expect(row).toContainText(/0 of 4 files · (waiting|estimating|.+ left)/);
  await checkAtEverySize(page, 'transfers-under-way');
  host.sandbox().setFaults({ latencyMs: 0 });

  // Its summary: three done, one failed, each a click from its files, and Retry failed.
  const summary = row.getByTestId('transfer-summary');
  await expect(summary).toContainText('Finished: 3 done', { timeout: 60_000 });
  await expect(first.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(row.getByRole('button', { name: 'Retry failed' })).toBeVisible();
  await summary.getByRole('button', { name: '1 failed in beta → Beta' }).click();
  await expect(row.getByRole('button', { name: 'beta → Beta', exact: true, expanded: true })).toBeVisible();
  await expect(chip(/^Failed/)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('queue-row')).toHaveCount(1);
  await expect(page.getByTestId('queue-row')).toContainText('b-2.png');
  await checkAtEverySize(page, 'transfers-summary-failed');

  // Folding it open shows all of its files; folding it again, every file.
  await summary.getByRole('button', { name: '3 done in beta → Beta' }).click();
  await expect(page.getByTestId('queue-row')).toHaveCount(3);
  await row.getByRole('button', { name: 'beta → Beta', exact: true }).click();
  await expect(row.getByRole('button', { name: 'beta → Beta', exact: true, expanded: false })).toBeVisible();
  await row.getByRole('button', { name: 'beta → Beta', exact: true }).click();
  await expect(page.getByTestId('queue-row')).toHaveCount(4);
  await page.getByRole('button', { name: 'Show every file' }).click();
  await expect(page.getByTestId('queue-row')).toHaveCount(7);
});

test('Clear finished moves finished transfers to the history; Retry failed sends a failed file again', async () => {
  await page.getByRole('button', { name: 'Clear finished' }).click();
  // Alpha is finished; beta keeps a failed file, so it stays in the list.
  await expect(transfer('alpha → Alpha')).toHaveCount(0);
  await expect(transfer('beta → Beta')).toHaveCount(1);
  await page.getByRole('button', { name: 'History', pressed: false }).click();
  const past = page.getByRole('region', { name: 'Past transfers' });
  await expect(past).toContainText('alpha → Alpha');
  await expect(past).toContainText('Finished: 3 done, 0 failed');
  await checkAtEverySize(page, 'transfers-history');
  await page.getByRole('button', { name: 'History', pressed: true }).click();
  await expect(past).toBeHidden();

  // The missing file is back: Retry failed on the transfer sends it.
  await rename(join(host.dataDir, 'aside', 'b-2.png'), join(host.dataDir, 'beta', 'b-2.png'));
  await transfer('beta → Beta').getByRole('button', { name: 'Retry failed' }).click();
  await expect(transfer('beta → Beta').getByTestId('transfer-summary')).toContainText('4 done', {
    timeout: 60_000,
  });
  await expect(transfer('beta → Beta').getByRole('button', { name: 'Retry failed' })).toHaveCount(0);
});

/**
 * The queue list as people read and drive it: files in name order with their folder, a tab stop that survives
 * scrolling, and rows that say "On hold" rather than show frozen progress while the platform is unreachable.
 */
import { basename, join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { queueFolder } from './support/intake.ts';
import { checkScreen } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

test('files are listed in name order with their folder, and the list keeps a tab stop after scrolling', async () => {
  const folder = await makeMixedFolder(join(host.dataDir, 'ordered'), 60);
  await queueFolder(page, folder.path, 'Ordered', 60);
  await expect(page.getByTestId('files-done')).toContainText('60 of 60', { timeout: 90_000 });

  const rows = page.getByTestId('queue-row');
  const names = (await rows.locator('.name').allTextContents()).filter((n) => n.startsWith('shelf-'));
  expect(names.length).toBeGreaterThan(5);
  // The folder's own files come first, in name order (the walk's order, not the file system's).
  expect(names).toEqual([...names].sort());
  const first = rows.filter({ hasText: names[0] as string });
  await expect(first.locator('.path')).toHaveText(`…/${basename(host.dataDir)}/ordered`);

  // Put the tab stop on the first row, then scroll it out of the DOM.
  await first.getByRole('cell').nth(2).click();
  await expect(first).toBeFocused();
  await page.getByTestId('queue-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(first).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
  // Tabbing in from the search box still lands on a row that is in view, past the bar of the row the click
  // selected and the sortable column headers.
  await page.getByRole('searchbox', { name: 'Search by file name' }).focus();
  const focused = page.locator('[data-testid="queue-row"]:focus');
  for (let tabs = 0; tabs < 16 && (await focused.count()) === 0; tabs++) await page.keyboard.press('Tab');
  await expect(focused).toHaveCount(1);
  expect(Number(await focused.getAttribute('data-index'))).toBeGreaterThan(10);
  await checkScreen(page, 'queue-sorted');
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('[data-testid="queue-row"]:focus')).toHaveCount(1);
});

test('offline, files caught mid-upload say "On hold" with no frozen progress, then finish', async () => {
  const folder = await makeMixedFolder(join(host.dataDir, 'held'), 10);
  host.sandbox().setFaults({ latencyMs: 300 });
  await queueFolder(page, folder.path, 'Held', 10);
  const chips = page.getByRole('group', { name: 'Show' });
  await chips.getByRole('button', { name: /^All/ }).click();
  host.sandbox().setFaults({ offline: true });
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 30_000 });
  await expect(chips.getByRole('button', { name: /^On hold\b/ })).toBeVisible();
  await expect(chips.getByRole('button', { name: /^Uploading/ })).toHaveCount(0);
  const rows = page.getByTestId('queue-row');
  await expect(rows.locator('.badge.active')).toHaveCount(0);
  await expect(rows.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByText('Waiting to resume')).toBeVisible();
  await checkScreen(page, 'queue-on-hold');

  host.sandbox().setFaults({ offline: false, latencyMs: 0 });
  await expect(page.getByTestId('offline-banner')).toBeHidden({ timeout: 60_000 });
  await expect(chips.getByRole('button', { name: /^Uploading/ })).toBeVisible();
  // The totals count the current work: this add alone, since the first was done before it came.
  await expect(page.getByTestId('files-done')).toContainText('10 of 10', { timeout: 90_000 });
  await expect(page.getByText('Nothing left to send')).toBeVisible();
});

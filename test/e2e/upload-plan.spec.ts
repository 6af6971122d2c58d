/**
 * The add dialog's plan, its identical-content option and its record limit, through the headless host: the plan
 * says what queuing does before anything is created (files by kind, records and their batch, skipped files by
 * reason one click from their names, sets of identical files), follows the options, refuses a limit that is not
 * one in words while keeping what was typed, and its counts are what the sandbox then receives; the transfer says
 * when its limit is reached, the held files say so in the list, and removing the limit sends them.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { recordsSince } from './support/records-count.ts';
import { checkAtEverySize } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

/** The first number in a text ("Creates 3 records in …" → 3). */
async function shownCount(text: Promise<string | null>): Promise<number> {
  return Number(/(\d[\d,]*)/.exec((await text) ?? '')?.[1]?.replaceAll(',', '') ?? NaN);
}

test('the plan says what queuing does, follows the options, and the sandbox gets exactly that', async () => {
  // 8 images made of 4 fixtures (so 4 sets of 2 identical files) and 2 files of no supported type.
  const folder = await makeMixedFolder(join(host.dataDir, 'plan'), 8);
  const batchesBefore = new Set(Object.keys(host.sandbox().stats().recordsByBatch));
  const assetsBefore = host.sandbox().stats().assets;

  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add files' });
  await dialog.getByLabel('Add by path').fill(folder.path);
  await dialog.getByRole('button', { name: 'Scan' }).click();
  await expect(dialog.getByTestId('scan-total')).toContainText('8 files');
  await dialog.getByRole('combobox', { name: /^Workflow/ }).selectOption({ label: 'Sandbox image boxes' });
  await dialog.getByLabel('New batch name').fill('Planned');

  const plan = dialog.getByRole('region', { name: 'Plan' });
  await expect(plan.getByTestId('plan-upload')).toContainText('Uploads 8 files');
  await expect(plan.getByTestId('plan-records')).toContainText('Creates 8 records in a new batch “Planned”');
  // Identical content is flagged with the box unticked too.
  await expect(plan.getByTestId('plan-identical')).toContainText(
    '4 sets of files with identical content (8 files): each copy is uploaded and gets its own record.',
  );
  await expect(plan.getByTestId('plan-skipped')).toContainText('Skips 2 files');
  // Each reason opens on its files, named inside the folder added.
  await plan.getByText(/^2 Unsupported file type/).click();
  const unsupported = plan.getByRole('list', { name: /^Files Unsupported file type/ });
  await expect(unsupported).toContainText('readme.xyz');
  await expect(unsupported).toContainText('archive.bin');
  await expect(unsupported).not.toContainText(folder.path);
  await expect(dialog.getByRole('button', { name: 'Queue 8 files' })).toBeVisible();

  // Each content once: the copies are skipped, and the counts follow.
  await dialog.getByRole('checkbox', { name: 'Upload identical files once' }).check();
  await expect(plan.getByTestId('plan-upload')).toContainText('Uploads 4 files');
  await expect(plan.getByTestId('plan-skipped')).toContainText('Skips 6 files');
  await expect(plan).toContainText('4 identical to another file, uploaded once');
  await expect(dialog.getByRole('button', { name: 'Queue 4 files' })).toBeVisible();

  // A limit that is not one is refused in words, and what was typed stays (in a short window too, where the
  // reason is brought into view).
  await page.setViewportSize({ width: 900, height: 600 });
  const limit = dialog.getByRole('textbox', { name: 'Create at most N records' });
  const queue = dialog.getByRole('button', { name: 'Queue 4 files' });
  for (const [typed, said] of [
    ['0', 'A limit of 0 would create nothing. Type 1 or more, or leave it empty for no limit.'],
    ['-2', 'The limit can’t be negative.'],
    ['2.5', 'The limit must be a whole number of records.'],
    ['three', '“three” is not a number.'],
  ] as const) {
    await limit.fill(typed);
    await queue.click();
    await expect(dialog.getByTestId('limit-problem')).toContainText(said);
    await expect(limit).toHaveValue(typed);
    await expect(limit).toBeFocused();
    await expect(dialog).toBeVisible();
  }
  await expect(dialog.getByTestId('limit-problem')).toBeInViewport();
  await checkAtEverySize(page, 'add-files-plan-bad-limit');

  await limit.fill('3');
  await expect(dialog.getByTestId('limit-problem')).toHaveCount(0);
  await expect(plan.getByTestId('plan-records')).toContainText('Creates 3 records');
  await expect(plan.getByTestId('plan-held')).toContainText('1 file stays in the queue');
  await expect(plan).toHaveAttribute('aria-busy', 'false');
  await plan.getByText('4 sets of files with identical content').click();
  await plan.scrollIntoViewIfNeeded();
  await checkAtEverySize(page, 'add-files-plan');

  const uploads = await shownCount(plan.getByTestId('plan-upload').textContent());
  const records = await shownCount(plan.getByTestId('plan-records').textContent());
  await queue.click();
  await expect(dialog).toBeHidden();

  // The transfer stops at its limit and says so; the sandbox has exactly the records the plan showed.
  const transfer = page.getByTestId('transfer').filter({ hasText: 'Planned' });
  await expect(transfer.getByTestId('limit-reached')).toContainText(
    'Limit of 3 records reached; 1 file left in the queue',
  );
  expect(recordsSince(host.sandbox(), batchesBefore)).toBe(records);
  expect(host.sandbox().stats().assets - assetsBefore).toBe(records);
  const held = page.getByTestId('queue-row').filter({ hasText: 'Held' });
  await expect(held).toHaveCount(uploads - records);
  await expect(held.getByTestId('row-error')).toContainText('Held: its upload reached its record limit.');
  await checkAtEverySize(page, 'queue-record-limit-reached');

  // "Show them" lists the held files of the transfer, and only those.
  await transfer.getByRole('button', { name: /^Show them/ }).click();
  await expect(page.getByTestId('queue-row')).toHaveCount(uploads - records);
  await expect(page.getByTestId('queue-row')).toContainText(['Held']);

  // A lower limit than the one reached is refused in words; removing the limit sends the rest.
  await transfer.getByLabel('New limit').fill('2');
  await transfer.getByRole('button', { name: 'Raise limit' }).click();
  await expect(transfer.getByRole('alert')).toContainText('The new limit must be above 3');
  await transfer.getByRole('button', { name: 'Remove limit' }).click();
  await expect.poll(() => recordsSince(host.sandbox(), batchesBefore)).toBe(uploads);
  await expect(transfer.getByTestId('limit-reached')).toHaveCount(0);
  expect(host.sandbox().stats().assets - assetsBefore).toBe(uploads);
  expect(host.sandbox().stats().duplicateRecords).toBe(0);
});

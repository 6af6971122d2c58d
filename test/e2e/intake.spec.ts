/**
 * Adding files while looking at a batch, through the headless host: the dialog starts on that batch, names a new
 * batch in local time, lists skipped files inside the added folder with their reasons in words, keeps Cancel and
 * "Queue N files" in its footer, and asks before Escape throws a finished scan away.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { createImageBatch } from './support/intake.ts';
import { checkScreen } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

test('looking at a batch, "Add files…" starts on that batch; Escape on a finished scan asks first', async () => {
  await createImageBatch(page, 'Intake shelf');

  const folder = await makeMixedFolder(join(host.dataDir, 'intake'), 4);
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add files' });
  await dialog.getByLabel('Add by path').fill(folder.path);
  await dialog.getByLabel('Add by path').press('Enter');
  await expect(dialog.getByTestId('scan-total')).toContainText('4 files');

  // The batch being looked at is the target; a new batch's suggested name is in the browser's local time.
  await expect(dialog.getByRole('combobox', { name: /^Workflow/ })).toHaveValue(/.+/);
  await expect(dialog.getByRole('radio', { name: /^Existing batch/ })).toBeChecked();
  await expect(dialog.getByRole('combobox', { name: 'Existing batch' })).toHaveText(/Intake shelf/);
  const local = await page.evaluate(() => {
    const d = new Date();
    const two = (n: number) => String(n).padStart(2, '0');
    return `Upload ${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  });
  await expect(dialog.getByLabel('New batch name')).toHaveValue(new RegExp(`^${local} \\d\\d:\\d\\d$`));

  // Skipped files are named inside the added folder, with the reason in words (the plan lists them too).
  const found = dialog.getByRole('region', { name: 'What was found' });
  await found.getByText('Skipped files and why').click();
  const skipped = found.locator('.skipped-list li');
  await expect(skipped.filter({ hasText: 'readme.xyz' })).toContainText('Unsupported file type (.xyz).');
  await expect(found.locator('.skipped-list')).not.toContainText(folder.path);

  // Cancel and Queue sit in the footer, outside the scrolling body.
  const queue = dialog.getByRole('button', { name: 'Queue 4 files' });
  await expect(dialog.locator('.dlg-foot').getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(dialog.locator('.dlg-foot').getByRole('button', { name: 'Queue 4 files' })).toBeVisible();
  await expect(dialog.locator('.dlg-body').getByRole('button', { name: 'Queue 4 files' })).toHaveCount(0);
  await checkScreen(page, 'add-files-into-batch');

  // Escape does not throw the scan away at once; the question takes the focus on its harmless answer.
  await page.keyboard.press('Escape');
  const question = dialog.getByRole('group', { name: 'Discard the scan?' });
  await expect(question).toContainText('The 4 files found are not queued.');
  await expect(question.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await checkScreen(page, 'add-files-discard');
  await question.getByRole('button', { name: 'Keep it' }).click();
  await expect(question).toBeHidden();
  await expect(queue).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Discard' }).click();
  await expect(dialog).toBeHidden();
});

/** The add-by-path flow the specs share: scan a folder, choose the image workflow and a new batch, queue. */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** Opens the Add files dialog from the top bar and scans a folder by path; returns the dialog. */
export async function openScan(page: Page, folder: string): Promise<Locator> {
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add files' });
  await dialog.getByLabel('Add by path').fill(folder);
  await dialog.getByRole('button', { name: 'Scan' }).click();
  return dialog;
}

/** Scans a folder by path in the Add files dialog and picks the image workflow and a new batch; the dialog stays open. */
export async function scanInto(page: Page, folder: string, batch: string, files: number): Promise<Locator> {
  const dialog = await openScan(page, folder);
  await expect(dialog.getByTestId('scan-total')).toContainText(`${files} file`);
  await dialog.getByRole('combobox', { name: /^Workflow/ }).selectOption({ label: 'Sandbox image boxes' });
  await dialog.getByLabel('New batch name').fill(batch);
  return dialog;
}

/** Scans and queues a folder into a new batch; `before` runs just before the files are queued (a fault, say). */
export async function queueFolder(
  page: Page,
  folder: string,
  batch: string,
  files: number,
  before?: () => void,
): Promise<void> {
  const dialog = await scanInto(page, folder, batch, files);
  before?.();
  await dialog.getByRole('button', { name: `Queue ${files} file` }).click();
  await expect(dialog).toBeHidden();
}

/** Creates a batch in the image workflow from the sidebar; the app then shows it. */
export async function createImageBatch(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New batch in Sandbox image boxes' }).click();
  const create = page.getByRole('dialog', { name: /New batch/ });
  await create.getByLabel('Batch name').fill(name);
  await create.getByRole('button', { name: 'Create batch' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

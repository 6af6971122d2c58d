/**
 * "Re-send canceled files" in the batch view, through the headless host: the sandbox's labelers cancel every record
 * of a batch, one file is deleted from disk, and the re-send queues the others into a new batch named in a dialog
 * (the name typed stays after an error), lists the deleted file with its reason, and the new batch gets one record
 * per file.
 */
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { E2eHost } from './support/host.ts';
import { queueFolder } from './support/intake.ts';
import { useSandboxSession } from './support/session.ts';
import { checkAtEverySize } from './support/screens.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

const BATCH = 'Returned shelf';
const NEW_BATCH = 'Second pass';
const main = () => page.getByRole('main');
const sidebarLink = (name: string) =>
  page.getByRole('navigation', { name: 'Workflows and batches' }).getByRole('button', { name });

/** `count` PNGs of distinct bytes, so none is the same content as another. */
async function distinctPngs(name: string, count: number): Promise<string[]> {
  const dir = join(host.dataDir, `${name}-files`);
  await mkdir(dir, { recursive: true });
  const png = await readFile(join(process.cwd(), 'test/fixtures/media/image-16x12.png'));
  const paths: string[] = [];
  for (let i = 1; i <= count; i++) {
    const path = join(dir, `${name}-${i}.png`);
    await writeFile(path, Buffer.concat([png, Buffer.from(`${name}-${i}`)]));
    paths.push(path);
  }
  return paths;
}

test('the files of canceled records go to a new batch, and a file gone from disk is listed with its reason', async () => {
  // Every task ends in exception and is then canceled.
  host.sandbox().setLabelers({ exceptionRate: 1, cancelRate: 1, unresolvedExceptionRate: 0 });
  const paths = await distinctPngs('returned', 3);
  await queueFolder(page, join(host.dataDir, 'returned-files'), BATCH, 3);
  await sidebarLink(BATCH).click();
  await expect(main().getByTestId('canceled-total')).toHaveText('3', { timeout: 60_000 });
  host.sandbox().setLabelers({ exceptionRate: 0, cancelRate: 0 });
  await unlink(paths[0] as string);

  await main().getByRole('button', { name: 'Re-send 3 canceled files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Re-send canceled files' });
  const name = dialog.getByRole('textbox', { name: 'New batch name' });
  await expect(name).toHaveValue(`${BATCH} — re-sent`);
  await checkAtEverySize(page, 'resend-canceled-dialog', dialog);

  // A name the platform refuses: the message shows and the name typed stays to be corrected.
  const tooLong = 'n'.repeat(201);
  await name.fill(tooLong);
  await dialog.getByRole('button', { name: 'Re-send' }).click();
  await expect(dialog.getByRole('alert')).toContainText('newBatchName');
  await expect(name).toHaveValue(tooLong);
  await name.fill('');
  await dialog.getByRole('button', { name: 'Re-send' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Batch name is required.');

  await name.fill(NEW_BATCH);
  await dialog.getByRole('button', { name: 'Re-send' }).click();
  await expect(dialog.getByRole('status')).toHaveText(`Queued 2 files into ${NEW_BATCH}.`);
  const skipped = dialog.getByRole('list', { name: 'Not queued (1)' });
  await expect(skipped.getByRole('listitem')).toHaveText(
    `returned-1.png ${paths[0] as string}: the file is no longer on disk`,
  );
  await checkAtEverySize(page, 'resend-canceled-result', dialog);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // The new batch holds one record per file sent again.
  await sidebarLink(NEW_BATCH).click();
  await expect(main().getByRole('heading', { name: NEW_BATCH, level: 1 })).toBeVisible();
  await expect(main().getByTestId('records-sent')).toHaveText('2', { timeout: 60_000 });
  await expect(main().getByRole('button', { name: /^Re-send/ })).toHaveCount(0);
});

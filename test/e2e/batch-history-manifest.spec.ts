/**
 * The batch view's history and manifest, through the headless host: two adds feed one batch and are listed newest
 * first with their files; the manifest downloads (by a signed link, never the token) as CSV, read back by Python's
 * csv module, and as JSONL, read by JSON.parse line by line; its statuses agree with the sandbox's and with the
 * batch's own exception and canceled list.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { E2eHost } from './support/host.ts';
import { createImageBatch } from './support/intake.ts';
import { useSandboxSession } from './support/session.ts';
import { checkAtEverySize } from './support/screens.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

const BATCH = 'Ledger shelf';
const main = () => page.getByRole('main');

/** `count` PNGs of distinct bytes (a trailer after the image's end), so none is the same content as another. */
async function distinctPngs(name: string, count: number): Promise<string> {
  const dir = join(host.dataDir, `${name}-pass`);
  await mkdir(dir, { recursive: true });
  const png = await readFile(join(process.cwd(), 'test/fixtures/media/image-16x12.png'));
  for (let i = 1; i <= count; i++)
    await writeFile(join(dir, `${name}-${i}.png`), Buffer.concat([png, Buffer.from(`${name}-${i}`)]));
  return dir;
}

/** Adds a folder by path into the batch the add dialog starts on (the one being viewed). */
async function addInto(folder: string, files: number): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add files' });
  await dialog.getByLabel('Add by path').fill(folder);
  await dialog.getByRole('button', { name: 'Scan' }).click();
  await expect(dialog.getByRole('combobox', { name: 'Existing batch' })).toHaveValue(/.+/);
  await expect(dialog.getByRole('combobox', { name: 'Existing batch' }).locator('option:checked')).toHaveText(
    BATCH,
  );
  await dialog.getByRole('button', { name: `Queue ${files} files` }).click();
  await expect(dialog).toBeHidden();
}

/** Downloads the manifest in a format; returns its name and text. */
async function downloadManifest(format: 'CSV' | 'JSONL'): Promise<{ name: string; text: string }> {
  const downloading = page.waitForEvent('download');
  await main()
    .getByRole('button', { name: `Save manifest as ${format}` })
    .click();
  const download = await downloading;
  expect(download.url()).not.toContain(host.url.split('#token=')[1] as string);
  await expect(main().getByTestId('manifest-result')).toHaveText(/^Downloading .* \(6 files\)\.$/);
  return {
    name: download.suggestedFilename(),
    text: await readFile((await download.path()) as string, 'utf8'),
  };
}

test('the history lists each add that fed the batch, newest first, with its files sent, failed and canceled', async () => {
  await createImageBatch(page, BATCH);
  const history = main().getByRole('region', { name: 'Transfers into this batch' });
  await expect(history.getByText('No files were sent into this batch from this app yet.')).toBeVisible();

  const link = page
    .getByRole('navigation', { name: 'Workflows and batches' })
    .getByRole('button', { name: BATCH });
  await addInto(await distinctPngs('first', 4), 4);
  // Queuing shows the queue: back to the batch, so the next add starts on it too.
  await link.click();
  await addInto(await distinctPngs('second', 2), 2);
  await expect(link.getByTestId('batch-summary')).toHaveText('6 records · 100% final', { timeout: 90_000 });
  await link.click();

  const table = history.getByRole('table', { name: 'Transfers into this batch' });
  const rows = table.getByRole('row');
  await expect(rows).toHaveCount(3);
  const cells = async (index: number) => rows.nth(index).getByRole('cell').allTextContents();
  await expect(rows.nth(1).getByRole('rowheader')).toContainText('second-pass');
  await expect(rows.nth(2).getByRole('rowheader')).toContainText('first-pass');
  // When (started, last change), files, sent, failed, canceled.
  expect((await cells(1)).slice(1)).toEqual(['2', '2', '0', '0']);
  expect((await cells(2)).slice(1)).toEqual(['4', '4', '0', '0']);
  expect((await cells(1))[0]).toMatch(/last /);
  await expect(table.getByRole('columnheader')).toHaveText([
    'Transfer',
    'When',
    'Files',
    'Sent',
    'Failed',
    'Canceled',
  ]);
  await checkAtEverySize(page, 'batch-history', table);
  // The head of the view: the ids line keeps each label with its id at every size.
  await checkAtEverySize(page, 'batch-history-head', main().getByTestId('batch-ids'));
  const labels = main().getByTestId('batch-ids').locator('.batch-id-pair');
  for (const size of [900, 1280]) {
    await page.setViewportSize({ width: size, height: 800 });
    for (const pair of await labels.all()) {
      const box = (await pair.boundingBox()) as { height: number };
      expect(box.height, 'a label and its id on one line').toBeLessThan(30);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await checkAtEverySize(
    page,
    'batch-history-records',
    main().getByRole('table', { name: 'Exception and canceled records' }),
  );
});

test('the manifest downloads as CSV and JSONL: every file, its asset and record, and the record’s status', async () => {
  await expect(main().getByRole('heading', { name: BATCH, level: 1 })).toBeVisible();
  const batchId = (await main().getByTestId('batch-ids').locator('.id-text').first().textContent()) as string;
  const statuses = host.sandbox().stats().recordsByBatch[batchId] ?? {};

  const csv = await downloadManifest('CSV');
  // The download folder may hold an earlier run's file: the new one never overwrites it.
  expect(csv.name).toMatch(/^Ledger shelf manifest( \(\d+\))?\.csv$/);
  const read = spawnSync(
    'python3',
    [
      '-c',
      'import csv,io,json,sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline="")))))',
    ],
    { input: csv.text, encoding: 'utf8' },
  );
  expect(read.status, read.stderr).toBe(0);
  const rows = JSON.parse(read.stdout) as Record<string, string>[];
  expect(rows.map((r) => r.path?.split(/[\\/]/).at(-1)).sort()).toEqual(
    ['first-1', 'first-2', 'first-3', 'first-4', 'second-1', 'second-2'].map((n) => `${n}.png`),
  );
  expect(new Set(rows.map((r) => r.assetId)).size).toBe(6);
  // The statuses are the sandbox's: as many of each as it holds in the batch.
  const counted: Record<string, number> = {};
  for (const row of rows) counted[row.status as string] = (counted[row.status as string] ?? 0) + 1;
  expect(counted).toEqual(statuses);
  // And each record of the exception and canceled list has its status in the manifest.
  for (const record of await main().getByTestId('record-row').all()) {
    const recordId = (await record.locator('.id-text').first().textContent()) as string;
    const status = ((await record.locator('.badge').textContent()) as string).toLowerCase();
    expect(rows.find((r) => r.recordId === recordId)?.status).toBe(status);
  }

  const jsonl = await downloadManifest('JSONL');
  expect(jsonl.name).toMatch(/^Ledger shelf manifest( \(\d+\))?\.jsonl$/);
  const lines = jsonl.text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.map((l) => [l.path, String(l.size), l.assetId, l.recordId, l.status])).toEqual(
    rows.map((r) => [r.path, r.size, r.assetId, r.recordId, r.status]),
  );
  await checkAtEverySize(page, 'batch-manifest', main().getByRole('region', { name: 'Manifest' }));
});

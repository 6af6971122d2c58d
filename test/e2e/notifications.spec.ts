/**
 * Batch done → desktop notification, through the headless host: the page shows the notification with the web
 * Notification API (permission granted here, the constructor recorded), and the Settings switch turns it off.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { makeMixedFolder } from './support/files.ts';
import type { E2eHost } from './support/host.ts';
import { useSandboxSession } from './support/session.ts';

interface Shown {
  title: string;
  body: string;
}

interface Totals {
  results: number;
  exceptions: number;
  canceled: number;
}

declare global {
  interface Window {
    shownNotifications?: Shown[];
  }
}

const IMAGES = 6;
let host: E2eHost;
let page: Page;

useSandboxSession(async (session) => {
  ({ host, page } = session);
  // Every exception is canceled or left unresolved, never restarted: a batch that is done stays done, so it has
  // exactly one moment of becoming done (a restarted exception would make it "not done" again for a while).
  host.sandbox().setLabelers({ cancelRate: 1 });
  await page.context().grantPermissions(['notifications'], { origin: new URL(host.url).origin });
  // Records every notification the page shows (then shows it for real), from the first script of the page on.
  await page.addInitScript(() => {
    const Original = window.Notification;
    const shown: Shown[] = [];
    window.shownNotifications = shown;
    class Recorded extends Original {
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    window.Notification = Recorded;
  });
  // The engine keeps the sandbox connection across the reload; the page comes back to the workspace.
  await page.reload();
  await expect(
    page.getByRole('navigation', { name: 'Workflows and batches' }).getByText('Sandbox image boxes'),
  ).toBeVisible();
});

/** The notifications the page has shown so far. */
function shown(): Promise<Shown[]> {
  return page.evaluate(() => window.shownNotifications ?? []);
}

/** Adds a folder of images by path into a new batch of the image workflow and waits on the queue view. */
async function uploadIntoNewBatch(name: string): Promise<void> {
  const folder = await makeMixedFolder(join(host.dataDir, name.toLowerCase().replace(/\W+/g, '-')), IMAGES);
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add files' });
  await dialog.getByLabel('Add by path').fill(folder.path);
  await dialog.getByRole('button', { name: 'Scan' }).click();
  await expect(dialog.getByTestId('scan-total')).toContainText(`${IMAGES} files`);
  await dialog.getByRole('combobox', { name: /^Workflow/ }).selectOption({ label: 'Sandbox image boxes' });
  await dialog.getByLabel('New batch name').fill(name);
  await dialog.getByRole('button', { name: `Queue ${IMAGES} files` }).click();
  await expect(dialog).toBeHidden();
  // The totals count the current work: each add alone, as the one before it was done.
  await expect(page.getByTestId('files-done')).toHaveText(`${IMAGES} of ${IMAGES}`, { timeout: 60_000 });
}

/** Opens a batch from the sidebar. */
async function openBatch(name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Workflows and batches' })
    .getByRole('button', { name: new RegExp(name) })
    .click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** The batch view's totals, as numbers. */
async function shownTotals(): Promise<Totals> {
  const read = async (id: string): Promise<number> =>
    Number((await page.getByTestId(id).textContent())?.replace(/\D/g, ''));
  return {
    results: await read('results-available'),
    exceptions: await read('exceptions-total'),
    canceled: await read('canceled-total'),
  };
}

/** Record-creating requests the sandbox has answered so far. */
function recordPosts(): number {
  return host.sandbox().stats().requestsByRoute['POST /v1/batches/:batchId/records/assets'] ?? 0;
}

/** The sandbox's own count of the batch's records by outcome (this file's batches, newest last). */
function sandboxTotals(): Totals {
  const batches = Object.values(host.sandbox().stats().recordsByBatch);
  const statuses = batches[batches.length - 1] ?? {};
  return {
    results: statuses.complete ?? 0,
    exceptions: statuses.exception ?? 0,
    canceled: statuses.canceled ?? 0,
  };
}

/**
 * Expects exactly one notification since `before`, for the batch, whose totals account for every file sent and
 * agree with the batch view. A record in `exception` is already final yet may still be canceled afterwards, so
 * the notification's split between the two may be older than the view's; their sum may not.
 */
async function expectNotifiedOnce(name: string, before: number): Promise<void> {
  const notes = (await shown()).slice(before);
  expect(notes.map((n) => n.title)).toEqual([`${name} is done`]);
  const match = /^(\d+) results?, (\d+) exceptions?, (\d+) canceled\.$/.exec(notes[0]?.body ?? '');
  expect(match, `notification body "${notes[0]?.body}"`).not.toBeNull();
  const [results, exceptions, canceled] = (match ?? []).slice(1).map(Number) as [number, number, number];
  expect(results + exceptions + canceled, 'the notification accounts for every file sent').toBe(IMAGES);
  // The view settles on the sandbox's numbers; the notification agrees with them.
  await expect.poll(shownTotals, { timeout: 60_000 }).toEqual(sandboxTotals());
  const view = await shownTotals();
  expect(results).toBe(view.results);
  expect(exceptions + canceled).toBe(view.exceptions + view.canceled);
}

test('a batch reaching done shows "Done" and one desktop notification with its name and totals', async () => {
  const name = 'Notify shelf';
  await uploadIntoNewBatch(name);
  // The batch is followed while the person watches the queue: the notification does not wait for its view.
  await expect.poll(async () => (await shown()).length, { timeout: 90_000 }).toBeGreaterThan(0);
  // The same news reaches the window as a notice, for people who turned desktop notifications off.
  await expect(page.getByRole('status').filter({ hasText: `${name} is done:` })).toBeVisible();
  await openBatch(name);
  await expect(page.getByTestId('batch-done')).toHaveText(/Done/);
  await expect(page.getByTestId('records-sent')).toHaveText(String(IMAGES));
  await expectNotifiedOnce(name, 0);
});

test('a batch whose files arrive one by one is done once, after the last file, not between two', async () => {
  const before = (await shown()).length;
  // One upload at a time over a slow API: records reach the batch in several requests, and the fast labelers
  // finish each request's records long before the next request comes.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Simultaneous requests to Alegion').fill('1');
  await page.getByLabel('Parallel file transfers').fill('1');
  // Settings apply at once: no Save to press.
  await expect(page.getByTestId('settings-state')).toHaveText('Saved.');
  const postsBefore = recordPosts();
  host.sandbox().setFaults({ latencyMs: 1200 });
  const name = 'Trickle shelf';
  try {
    await uploadIntoNewBatch(name);
  } finally {
    host.sandbox().setFaults({ latencyMs: 0 });
  }
  expect(recordPosts() - postsBefore, 'the records reached the batch in several requests').toBeGreaterThan(1);
  await openBatch(name);
  await expect(page.getByTestId('batch-done')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('records-sent')).toHaveText(String(IMAGES));
  await expectNotifiedOnce(name, before);
});

test('with notifications turned off in Settings, a batch reaching done shows no desktop notification', async () => {
  const before = (await shown()).length;
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  const toggle = page.getByLabel('Desktop notification when a batch is done');
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(page.getByTestId('settings-state')).toHaveText('Saved.');

  const name = 'Quiet shelf';
  await uploadIntoNewBatch(name);
  await openBatch(name);
  await expect(page.getByTestId('batch-done')).toBeVisible({ timeout: 90_000 });
  // The in-window notice comes from the same completion update that would have raised the notification.
  await expect(page.getByRole('status').filter({ hasText: `${name} is done:` })).toBeVisible();
  expect(await shown()).toHaveLength(before);

  // The switch is kept: the settings screen shows it off after a reload.
  await page.reload();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Desktop notification when a batch is done')).not.toBeChecked();
});

import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { checkScreen, checkAtEverySize } from './support/screens.ts';
import { useSandboxSession } from './support/session.ts';

let page: Page;

useSandboxSession((session) => ({ page } = session), false);

test('the sandbox workspace lists its workflows; the empty queue invites files', async () => {
  const sidebar = page.getByRole('navigation', { name: 'Workflows and batches' });
  await expect(sidebar.getByText('Sandbox image boxes')).toBeVisible();
  await expect(sidebar.getByText('Sandbox NER')).toBeVisible();
  const chip = page.getByRole('button', { name: /\(connected\), manage profiles/ });
  await expect(chip).toBeVisible();
  // The sandbox profile is named "Sandbox": the chip says it once, with no tag repeating it.
  await expect(chip).toHaveAccessibleName('Sandbox (connected), manage profiles');
  await expect(page.getByRole('banner').getByRole('button', { name: 'Add files…' })).toHaveCount(1);
  await expect(page.getByText('Nothing queued yet')).toBeVisible();
  // One "Add files…" in the top bar, one in the empty state: the queue heading does not repeat it.
  await expect(page.getByRole('button', { name: 'Add files…' })).toHaveCount(2);
  await checkScreen(page, 'queue-empty');
});

test('workflow names are not cut short by the new-batch button', async () => {
  const sidebar = page.getByRole('navigation', { name: 'Workflows and batches' });
  const add = sidebar.getByRole('button', { name: 'New batch in Sandbox general records' });
  await expect(add).toHaveText('+');
  await expect(add).toHaveAttribute('title', 'New batch in Sandbox general records');
  for (const name of await sidebar.locator('.wf-name').all()) {
    // Wrapped to at most two lines, every name shows whole: nothing overflows its box.
    const clipped = await name.evaluate(
      (el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
    );
    expect(clipped, (await name.textContent()) ?? 'workflow name').toBe(false);
  }
});

test('a new batch is created with the enabled caveat, and its view shows every count', async () => {
  await page.getByRole('button', { name: 'New batch in Sandbox image boxes' }).click();
  const dialog = page.getByRole('dialog', { name: /New batch/ });
  await expect(dialog.getByText(/depends on your workflow; ask your Alegion success manager/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Create batch' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Batch name is required.');
  await dialog.getByLabel('Batch name').fill('E2E shelf photos');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await checkScreen(page, 'create-batch');
  await dialog.getByRole('button', { name: 'Create batch' }).click();
  await expect(page.getByRole('heading', { name: 'E2E shelf photos' })).toBeVisible();
  for (const field of ['inProgress', 'queued', 'archived', 'adminReview']) {
    await expect(page.getByTestId(`count-${field}`)).toHaveText('0');
  }
  // Complete, exceptions and canceled show once, in the completion card.
  for (const id of ['records-sent', 'results-available', 'exceptions-total', 'canceled-total']) {
    await expect(page.getByTestId(id)).toHaveText('0');
  }
  const main = page.getByRole('main');
  await expect(main.getByText('No records in this batch yet')).toBeVisible();
  await expect(main.getByText(/has a result/)).toHaveCount(0);
  await expect(main.getByRole('button', { name: 'Add files…' })).toBeVisible();
  await checkScreen(page, 'batch-empty');
  await main.getByRole('button', { name: 'Add files…' }).click();
  const intake = page.getByRole('dialog', { name: 'Add files' });
  await expect(intake).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(intake).toBeHidden();
});

test('turning a batch off asks first, in place; turning it on does not', async () => {
  const main = page.getByRole('main');
  const toggle = main.getByRole('switch', { name: 'Labelers can work on it' });
  const badge = page
    .getByRole('navigation', { name: 'Workflows and batches' })
    .getByRole('button', { name: /E2E shelf photos/ })
    .getByText('Disabled');
  await expect(toggle).toBeChecked();
  await toggle.click();
  const confirm = main.getByRole('group', { name: 'Turn off the batch' });
  await expect(confirm).toContainText('Labelers get none of its records until it is turned back on.');
  await expect(toggle).toBeChecked();
  await expect(confirm.getByRole('button', { name: 'Keep it on' })).toBeFocused();
  await checkScreen(page, 'batch-disable-confirm');
  await confirm.getByRole('button', { name: 'Keep it on' }).click();
  await expect(confirm).toBeHidden();
  await expect(toggle).toBeChecked();
  await expect(badge).toHaveCount(0);

  await toggle.click();
  await confirm.getByRole('button', { name: 'Turn off' }).click();
  await expect(confirm).toBeHidden();
  await expect(toggle).not.toBeChecked();
  await expect(badge).toBeVisible();
  await toggle.click();
  await expect(confirm).toBeHidden();
  await expect(toggle).toBeChecked();
  await expect(badge).toHaveCount(0);
});

test('exports, settings and profiles have their designed empty states', async () => {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { name: 'New export' })).toBeVisible();
  // Opened from the tab, the form starts on the first workflow that has a batch, not simply the first one.
  const form = page.getByRole('region', { name: 'New export' });
  await expect(form.getByRole('combobox', { name: /^Workflow/ })).toHaveValue(
    (await form.getByRole('option', { name: 'Sandbox image boxes' }).getAttribute('value')) ?? 'missing',
  );
  await expect(page.getByText('No exports yet')).toBeVisible();
  await checkScreen(page, 'exports-empty');

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Parallel file transfers')).toBeVisible();
  await checkScreen(page, 'settings');
  // Settings apply at once. Out of range: the field says so under it, keeps what was typed, and nothing is
  // saved until it is fixed.
  const requests = page.getByLabel('Simultaneous requests to Alegion');
  const state = page.getByTestId('settings-state');
  await requests.fill('100');
  await expect(requests).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Simultaneous requests to Alegion must be 1–64.')).toBeVisible();
  await page.waitForTimeout(1000);
  await expect(state).not.toHaveText('Saved.');
  await expect(requests).toHaveValue('100');
  // Leaving the screen keeps the invalid value: the Settings tab says a change is pending.
  const screens = page.getByRole('navigation', { name: 'Screens' });
  await screens.getByRole('button', { name: 'Queue' }).click();
  await expect(screens.getByRole('button', { name: 'Settings (changes pending)' })).toBeVisible();
  await screens.getByRole('button', { name: /^Settings/ }).click();
  await expect(requests).toHaveValue('100');
  await requests.fill('8');
  await expect(state).toHaveText('Saved.');
  await expect(screens.getByRole('button', { name: 'Settings', exact: true })).toBeVisible();
  await page.getByLabel('Parallel file transfers').fill('0');
  await expect(page.getByText('Parallel file transfers must be 1–64.')).toBeVisible();
  await checkAtEverySize(page, 'settings-invalid-kept');
  // Enter applies at once.
  await page.getByLabel('Parallel file transfers').fill('6');
  await page.getByLabel('Parallel file transfers').press('Enter');
  await expect(state).toHaveText('Saved.');
  // The engine holds the new value: the field shows it after the screen is left and opened again.
  await screens.getByRole('button', { name: 'Queue' }).click();
  await screens.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByLabel('Parallel file transfers')).toHaveValue('6');
  await page.getByLabel('Desktop notification when a batch is done').uncheck();
  await expect(state).toHaveText('Saved.');
  await checkAtEverySize(page, 'settings-saved');
  await page.getByLabel('Desktop notification when a batch is done').check();
  await expect(state).toHaveText('Saved.');
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('radio', { name: 'Follow the system' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // Following the system: its change of preference redraws the window at once.
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  await page.getByRole('button', { name: /manage profiles/ }).click();
  await expect(page.getByRole('heading', { name: 'Profiles' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Saved profiles' }).getByText('Connected')).toBeVisible();
  await checkScreen(page, 'profiles');
});

test('the folder browser lists the allowed folder and keyboard focus is visible', async () => {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  const intake = page.getByRole('dialog', { name: 'Add files' });
  await expect(intake.getByText(/dropped files carry no location/)).toBeVisible();
  // The add dialog's own button to the folder browser ("Browse…" since the top bar's chooser buttons changed).
  await intake.getByRole('button', { name: /^(Browse…|Add folder…)$/ }).click();
  const browser = page.getByRole('dialog', { name: 'Choose files and folders' });
  await expect(browser.getByRole('list', { name: 'Folder contents' })).toBeVisible();
  // At the top there is no folder to add as a whole: the hint does not offer it.
  await expect(browser.getByText('Tick folders to add, or open one to look inside.')).toBeVisible();
  await expect(browser.getByRole('button', { name: 'Add this folder' })).toHaveCount(0);
  const icon = browser.locator('.folder-icon').first();
  const box = await icon.boundingBox();
  expect(box?.width ?? 0, 'the folder icon is drawn').toBeGreaterThan(8);
  expect(
    await icon.evaluate((el) => getComputedStyle(el).backgroundColor),
    'the folder icon has a colour',
  ).not.toMatch(/^(transparent|rgba\(0, 0, 0, 0\))$/);
  await checkScreen(page, 'folder-browser');
  await browser.getByRole('listitem').first().getByRole('button').click();
  await expect(browser.getByRole('button', { name: 'Add this folder' })).toBeVisible();
  await expect(browser.getByText('Tick files or folders, or add the folder you are in.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(browser).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(intake).toBeHidden();
  // Focus returns to the page after the dialogs close; a Tab then lands on a control whose focus ring shows.
  await expect(async () => {
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const active = document.activeElement;
      return active && active !== document.body ? getComputedStyle(active).outlineStyle : 'no focus';
    });
    expect(outline).not.toMatch(/^(none|no focus)$/);
  }).toPass({ timeout: 10_000 });
});

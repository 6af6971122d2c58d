/**
 * Fixing a rejected API key by editing the profile, through the headless host against a sandbox standing in for
 * the platform: the precise error, the profile's other fields kept, the key never shown back, and the workflows
 * loading once the key is right. Then the platform rotates the key and the same fix works from a saved profile.
 * Last, an edit that moves the API URL to another origin asks for the key and password again and sends the saved
 * ones nowhere.
 */
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { startSandbox } from '../../sandbox/server.ts';
import type { RunningSandbox } from '../../sandbox/server.ts';
import { startDecoy } from './support/decoy.ts';
import { startE2eHost } from './support/host.ts';
import type { E2eHost } from './support/host.ts';
import { checkScreen } from './support/screens.ts';

const KEY_REJECTED = 'The API key was rejected. Check the key for this profile.';
const USERNAME = 'ops';
const PASSWORD = 'pw-kept-secret-9';
let host: E2eHost;
let platform: RunningSandbox;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 20_000 });

test.beforeAll(async ({ browser }) => {
  host = await startE2eHost();
  // The platform's key is the sandbox's default one; the login is this test's.
  platform = await startSandbox({ port: 0, username: USERNAME, password: PASSWORD, labelers: false });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  await page.goto(host.url);
});

test.afterAll(async () => {
  await page?.context().close();
  await host?.close();
  await platform?.close();
});

/** Expects the profile form's fields to hold these values. */
async function expectFields(
  form: Locator,
  values: { name: string; apiUrl: string; apiKey: string; username: string; password: string },
): Promise<void> {
  await expect(form.getByLabel('Profile name')).toHaveValue(values.name);
  await expect(form.getByLabel('API URL')).toHaveValue(values.apiUrl);
  await expect(form.getByLabel('API key')).toHaveValue(values.apiKey);
  await expect(form.getByLabel('Username')).toHaveValue(values.username);
  await expect(form.getByLabel('Password')).toHaveValue(values.password);
}

/** Every text and field value on the page, to look for secrets in. */
function everythingShown(): Promise<string> {
  return page.evaluate(() => {
    const fields = [...document.querySelectorAll('input, textarea')].map((el) => {
      const input = el as HTMLInputElement;
      return `${input.value} ${input.placeholder}`;
    });
    return `${document.body.innerText}\n${document.body.innerHTML}\n${fields.join('\n')}`;
  });
}

test('a wrong API key is reported precisely, and editing only the key in the profile connects', async () => {
  expect(platform.options.apiKey).toBe('sandbox-api-key');
  const form = page.getByRole('form', { name: 'Connect to Alegion' });
  const typed = {
    name: 'Acme',
    apiUrl: platform.baseUrl,
    apiKey: 'sandbox-api-kye',
    username: USERNAME,
    password: PASSWORD,
  };
  await form.getByLabel('Profile name').fill(typed.name);
  await form.getByLabel('API URL').fill(typed.apiUrl);
  await form.getByLabel('API key').fill(typed.apiKey);
  await form.getByLabel('Username').fill(typed.username);
  await form.getByLabel('Password').fill(typed.password);
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText(KEY_REJECTED);
  // The field at fault is marked, and only that one.
  await expect(form.getByLabel('API key')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Password')).toHaveAttribute('aria-invalid', 'false');
  // Nothing typed is lost to the error.
  await expectFields(form, typed);

  // The profile was saved with the wrong key: open it and change the key only.
  const saved = page.getByRole('list', { name: 'Saved profiles' });
  await saved.getByRole('button', { name: 'Edit Acme' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Acme' });
  const edit = dialog.getByRole('form', { name: 'Edit profile' });
  await expectFields(edit, { ...typed, apiKey: '', password: '' });
  await expect(edit.getByLabel('Password')).toHaveAttribute('placeholder', 'Saved (leave empty to keep)');

  // A second typo: the dialog stays, says why, and keeps what was typed.
  await edit.getByLabel('API key').fill('sandbox-apikey');
  await edit.getByRole('button', { name: 'Save and connect' }).click();
  await expect(edit.getByRole('alert')).toHaveText(KEY_REJECTED);
  await expect(dialog).toBeVisible();
  await expectFields(edit, { ...typed, apiKey: 'sandbox-apikey', password: '' });

  await edit.getByLabel('API key').fill('sandbox-api-key');
  await edit.getByRole('button', { name: 'Test connection' }).click();
  await expect(edit.getByTestId('test-result')).toContainText('✓');
  await edit.getByRole('button', { name: 'Save and connect' }).click();
  await expect(dialog).toBeHidden();
  const sidebar = page.getByRole('navigation', { name: 'Workflows and batches' });
  await expect(sidebar.getByText('Sandbox image boxes')).toBeVisible();
  await expect(page.getByRole('button', { name: /Acme \(connected\)/ })).toBeVisible();
});

test('the saved key is never shown back in full', async () => {
  await page.getByRole('button', { name: /Acme \(connected\), manage profiles/ }).click();
  await expect(page.getByRole('heading', { name: 'Profiles', level: 1 })).toBeVisible();
  const saved = page.getByRole('list', { name: 'Saved profiles' });
  const acme = saved.getByRole('listitem').filter({ hasText: 'Acme' });
  await expect(acme).toContainText(`${platform.baseUrl} · ${USERNAME} · key ••••-key`);
  await acme.getByRole('button', { name: 'Edit Acme' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Acme' }).getByRole('form', { name: 'Edit profile' });
  await expect(edit.getByLabel('API key')).toHaveValue('');
  await expect(edit.getByLabel('API key')).toHaveAttribute('placeholder', '••••-key (leave empty to keep)');
  const shown = await everythingShown();
  expect(shown).not.toContain('sandbox-api-key');
  expect(shown).not.toContain(PASSWORD);
  await page.getByRole('dialog', { name: 'Edit Acme' }).getByRole('button', { name: 'Close' }).click();
});

test('after the platform rotates the key, connecting the saved profile says why, and editing the key fixes it', async () => {
  const rotated = await fetch(`${new URL(platform.baseUrl).origin}/__sandbox/api-key`, {
    method: 'POST',
    headers: { 'x-api-key': 'sandbox-api-key', 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: 'rotated-by-an-admin' }),
  });
  expect(rotated.status).toBe(204);
  // A new session logs in again with the saved key.
  await page.getByRole('button', { name: 'Disconnect' }).click();
  const saved = page.getByRole('list', { name: 'Saved profiles' });
  const acme = saved.getByRole('listitem').filter({ hasText: 'Acme' });
  await acme.getByRole('button', { name: 'Connect' }).click();
  await expect(acme.getByRole('alert')).toHaveText(KEY_REJECTED);
  await checkScreen(page, 'saved-profile-key-rejected');

  await acme.getByRole('button', { name: 'Edit Acme' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Acme' });
  const edit = dialog.getByRole('form', { name: 'Edit profile' });
  await edit.getByLabel('API key').fill('rotated-by-an-admin');
  await edit.getByRole('button', { name: 'Save and connect' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole('navigation', { name: 'Workflows and batches' }).getByText('Sandbox image boxes'),
  ).toBeVisible();
  await page.getByRole('button', { name: /Acme \(connected\), manage profiles/ }).click();
  await expect(page.getByRole('list', { name: 'Saved profiles' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Saved profiles' })).toContainText(
    `${platform.baseUrl} · ${USERNAME} · key ••••dmin`,
  );
});

test('fixing the key in the first-run form after a rejected connect keeps one profile, not two', async () => {
  await page.getByRole('button', { name: 'Disconnect' }).click();
  const form = page.getByRole('form', { name: 'Connect to Alegion' });
  await form.getByLabel('Profile name').fill('Beta');
  await form.getByLabel('API URL').fill(platform.baseUrl);
  await form.getByLabel('API key').fill('not-the-key');
  await form.getByLabel('Username').fill(USERNAME);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText(KEY_REJECTED);

  await form.getByLabel('API key').fill('rotated-by-an-admin');
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(
    page.getByRole('navigation', { name: 'Workflows and batches' }).getByText('Sandbox image boxes'),
  ).toBeVisible();
  await page.getByRole('button', { name: /Beta \(connected\), manage profiles/ }).click();
  const names = page.getByRole('list', { name: 'Saved profiles' }).getByRole('listitem').locator('strong');
  await expect(names).toHaveText(['Acme', 'Beta']);
});

test('an edit that moves the API URL to another origin asks for the secrets again and sends the saved ones nowhere', async () => {
  const NEW_ORIGIN_NOTE =
    'This is a new address: enter the API key and password again. Saved ones are only sent to the address they were entered for.';
  const decoy = await startDecoy();
  try {
    await page.getByRole('button', { name: /manage profiles/ }).click();
    const saved = page.getByRole('list', { name: 'Saved profiles' });
    await saved.getByRole('button', { name: 'Edit Acme' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Acme' }).getByRole('form', { name: 'Edit profile' });
    await expect(edit.getByLabel('Password')).toHaveAttribute('placeholder', 'Saved (leave empty to keep)');
    await expect(edit.getByTestId('new-origin-note')).toHaveCount(0);

    await edit.getByLabel('API URL').fill(`${decoy.url}/v1`);
    await expect(edit.getByTestId('new-origin-note')).toHaveText(NEW_ORIGIN_NOTE);
    await expect(edit.getByLabel('Password')).toHaveAttribute('placeholder', '');
    await edit.getByRole('button', { name: 'Test connection' }).click();
    await expect(edit.getByRole('alert')).toHaveText(NEW_ORIGIN_NOTE);
    await edit.getByRole('button', { name: 'Save and connect' }).click();
    await expect(edit.getByRole('alert')).toHaveText(NEW_ORIGIN_NOTE);
    expect(decoy.requests).toEqual([]);
    await page.getByRole('dialog', { name: 'Edit Acme' }).getByRole('button', { name: 'Close' }).click();
  } finally {
    await decoy.close();
  }
});

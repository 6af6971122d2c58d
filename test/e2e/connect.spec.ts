import { expect, test } from '@playwright/test';
import { startSandbox } from '../../sandbox/server.ts';
import type { RunningSandbox } from '../../sandbox/server.ts';
import { startE2eHost } from './support/host.ts';
import type { E2eHost } from './support/host.ts';
import { checkScreen } from './support/screens.ts';

let host: E2eHost;
let platform: RunningSandbox;

test.beforeAll(async () => {
  host = await startE2eHost();
  // A second sandbox stands in for "the platform" a person types the address of.
  platform = await startSandbox({
    port: 0,
    apiKey: 'right-key',
    username: 'ops',
    password: 'pw',
    labelers: false,
  });
});

test.afterAll(async () => {
  await host?.close();
  await platform?.close();
});

test('first run: a wrong API key is reported precisely, the right one connects', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Connect to Alegion' })).toBeVisible();
  await expect(page.getByLabel('API URL')).toHaveValue('https://api.alegion.com/v1');
  await checkScreen(page, 'first-run');

  const form = page.getByRole('form', { name: 'Connect to Alegion' });
  await form.getByLabel('API URL').fill(platform.baseUrl);
  await form.getByLabel('API key').fill('wrong-key');
  await form.getByLabel('Username').fill('ops');
  await form.getByLabel('Password').fill('pw');
  // Testing needs no profile name yet: the answer is about the connection.
  await form.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByTestId('test-result');
  await expect(result).toContainText(/API key/i);
  await expect(result).toContainText('✕');
  await expect(form.getByRole('alert')).toHaveCount(0);
  await form.getByLabel('Profile name').fill('Acme');
  await checkScreen(page, 'first-run-wrong-key');
  await expect(form.getByLabel('Profile name')).toHaveValue('Acme');

  await form.getByLabel('API key').fill('right-key');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toContainText('✓');
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Workflows and batches' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Acme \(connected\)/ })).toBeVisible();

  // Adding another profile can be called off: Cancel closes the form and keeps nothing.
  await page.getByRole('button', { name: /Acme \(connected\)/ }).click();
  const add = page.getByRole('region', { name: 'Add a profile' });
  await add.getByRole('button', { name: 'Add…' }).click();
  await add.getByLabel('Profile name').fill('Half done');
  await add.getByRole('button', { name: 'Cancel' }).click();
  await expect(add.getByLabel('Profile name')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Saved profiles' })).not.toContainText('Half done');
});

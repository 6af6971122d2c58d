/**
 * The headless host's access token in a real browser: it leaves the address bar at once and is never a cookie, so
 * another server on 127.0.0.1 at another port never sees it; a reload of the tab still reaches the host.
 */
import { expect, test } from '@playwright/test';
import { startDecoy } from './support/decoy.ts';
import type { Decoy } from './support/decoy.ts';
import { startE2eHost } from './support/host.ts';
import type { E2eHost } from './support/host.ts';

let host: E2eHost;
let decoy: Decoy;

test.beforeAll(async () => {
  host = await startE2eHost();
  decoy = await startDecoy();
});

test.afterAll(async () => {
  await host?.close();
  await decoy?.close();
});

test('the token leaves the address bar, is no cookie, and never reaches another local port', async ({
  page,
}) => {
  const token = new URL(host.url).hash.replace('#token=', '');
  expect(token.length).toBeGreaterThan(20);
  await page.goto(host.url);
  const form = page.getByRole('form', { name: 'Connect to Alegion' });
  await expect(form).toBeVisible();
  expect(page.url()).not.toContain(token);
  expect(await page.context().cookies()).toEqual([]);

  await page.goto(`${decoy.url}/collect`);
  await expect(page).toHaveTitle('decoy');
  expect(decoy.requests.length).toBeGreaterThan(0);
  expect(JSON.stringify(decoy.requests)).not.toContain(token);

  // Back on the host in the same tab, and after a reload, the page still reaches the host.
  await page.goto(new URL(host.url).origin);
  await expect(form).toBeVisible();
  await page.reload();
  await expect(form).toBeVisible();
  await expect(page.getByText('opened without its access token')).toHaveCount(0);
});

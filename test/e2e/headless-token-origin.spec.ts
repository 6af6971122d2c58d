/**
 * The headless host in a real browser: the access token leaves the address bar at once and is never a cookie, so
 * another server on 127.0.0.1 at another port never sees it; and a profile whose API URL moves to another origin
 * asks for its key and password again instead of sending the saved ones there.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startSandbox } from '../../sandbox/server.ts';
import type { RunningSandbox } from '../../sandbox/server.ts';
import { startE2eHost } from './support/host.ts';
import type { E2eHost } from './support/host.ts';

const USERNAME = 'ops';
const PASSWORD = 'pw-kept-secret-9';
const NEW_ORIGIN_NOTE =
  'This is a new address: enter the API key and password again. Saved ones are only sent to the address they were entered for.';

let host: E2eHost;
let platform: RunningSandbox;
let decoy: Server;
let decoyUrl: string;
const decoyRequests: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
let page: Page;

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 20_000 });

test.beforeAll(async ({ browser }) => {
  host = await startE2eHost();
  platform = await startSandbox({ port: 0, username: USERNAME, password: PASSWORD, labelers: false });
  // Another local server, at another port: what it receives is what any local process could collect.
  decoy = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      decoyRequests.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>decoy</title>');
    });
  });
  await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
  decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
});

test.afterAll(async () => {
  await page?.context().close();
  await host?.close();
  await platform?.close();
  await new Promise((resolve) => decoy?.close(resolve));
});

test('the token leaves the address bar, is no cookie, and never reaches another local port', async () => {
  const token = new URL(host.url).hash.replace('#token=', '');
  expect(token.length).toBeGreaterThan(20);
  await page.goto(host.url);
  const form = page.getByRole('form', { name: 'Connect to Alegion' });
  await expect(form).toBeVisible();
  expect(page.url()).not.toContain(token);
  expect(await page.context().cookies()).toEqual([]);

  await page.goto(`${decoyUrl}/collect`);
  await expect(page).toHaveTitle('decoy');
  expect(decoyRequests.length).toBeGreaterThan(0);
  expect(JSON.stringify(decoyRequests)).not.toContain(token);

  // Back on the host in the same tab, and after a reload, the page still reaches the host.
  await page.goto(new URL(host.url).origin);
  await expect(form).toBeVisible();
  await page.reload();
  await expect(form).toBeVisible();
  await expect(page.getByText('opened without its access token')).toHaveCount(0);
});

test('a profile moved to another origin asks for its secrets again and sends the saved ones nowhere', async () => {
  const form = page.getByRole('form', { name: 'Connect to Alegion' });
  await form.getByLabel('Profile name').fill('Acme');
  await form.getByLabel('API URL').fill(platform.baseUrl);
  await form.getByLabel('API key').fill(platform.options.apiKey);
  await form.getByLabel('Username').fill(USERNAME);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('button', { name: /Acme \(connected\)/ })).toBeVisible();

  await page.getByRole('button', { name: /Acme \(connected\), manage profiles/ }).click();
  const saved = page.getByRole('list', { name: 'Saved profiles' });
  await saved.getByRole('button', { name: 'Edit Acme' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Acme' }).getByRole('form', { name: 'Edit profile' });
  await expect(edit.getByLabel('Password')).toHaveAttribute('placeholder', 'Saved (leave empty to keep)');
  await expect(edit.getByTestId('new-origin-note')).toHaveCount(0);

  decoyRequests.length = 0;
  await edit.getByLabel('API URL').fill(`${decoyUrl}/v1`);
  await expect(edit.getByTestId('new-origin-note')).toHaveText(NEW_ORIGIN_NOTE);
  await expect(edit.getByLabel('Password')).toHaveAttribute('placeholder', '');
  await edit.getByRole('button', { name: 'Test connection' }).click();
  await expect(edit.getByRole('alert')).toHaveText(NEW_ORIGIN_NOTE);
  await edit.getByRole('button', { name: 'Save and connect' }).click();
  await expect(edit.getByRole('alert')).toHaveText(NEW_ORIGIN_NOTE);
  expect(decoyRequests).toEqual([]);
});

import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';

const root = join(process.cwd(), 'out/renderer');
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
let server: Server;
let origin = '';

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    readFile(join(root, path)).then(
      (body) =>
        res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address && typeof address === 'object') origin = `http://127.0.0.1:${address.port}`;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('the renderer build shows the product name and the sandbox address', async ({ page }) => {
  await page.goto(`${origin}/index.html?sandbox=http://127.0.0.1:4010/v1`);
  await expect(page.getByRole('heading', { name: 'Alegion Uploader' })).toBeVisible();
  await expect(page.getByTestId('sandbox-address')).toHaveText('Sandbox: http://127.0.0.1:4010/v1');
});

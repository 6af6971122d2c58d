import { expect, test } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { startE2eHost } from './host.ts';
import type { E2eHost } from './host.ts';

interface SandboxSession {
  host: E2eHost;
  page: Page;
}

/**
 * Starts the headless host with its embedded sandbox, opens the app in a fresh page and chooses "Try the sandbox".
 * With `waitForWorkflows`, it returns once the sandbox's image workflow is listed; otherwise once the sidebar shows.
 */
async function openSandboxSession(browser: Browser, waitForWorkflows = true): Promise<SandboxSession> {
  const host = await startE2eHost();
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Try the sandbox' }).click();
  const sidebar = page.getByRole('navigation', { name: 'Workflows and batches' });
  await expect(waitForWorkflows ? sidebar.getByText('Sandbox image boxes') : sidebar).toBeVisible();
  return { host, page };
}

/** Closes the page's context and stops the host (either may be missing when the set-up failed half-way). */
async function closeSandboxSession(session: Partial<SandboxSession>): Promise<void> {
  await session.page?.context().close();
  await session.host?.close();
}

/**
 * Declares a spec file's tests serial, over one sandbox session opened before the first and closed after the
 * last. `onOpen` receives the session (to keep it in the spec's variables, and for any extra set-up).
 */
export function useSandboxSession(
  onOpen: (session: SandboxSession) => unknown,
  waitForWorkflows = true,
): void {
  let session: Partial<SandboxSession> = {};
  test.describe.configure({ mode: 'serial' });
  test.use({ actionTimeout: 20_000 });
  test.beforeAll(async ({ browser }) => {
    session = await openSandboxSession(browser, waitForWorkflows);
    await onOpen(session as SandboxSession);
  });
  test.afterAll(() => closeSandboxSession(session));
}

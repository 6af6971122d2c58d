import { expect } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { startE2eHost } from './host.ts';
import type { E2eHost } from './host.ts';

export interface SandboxSession {
  host: E2eHost;
  page: Page;
}

/**
 * Starts the headless host with its embedded sandbox, opens the app in a fresh page and chooses "Try the sandbox".
 * With `waitForWorkflows`, it returns once the sandbox's image workflow is listed; otherwise once the sidebar shows.
 */
export async function openSandboxSession(browser: Browser, waitForWorkflows = true): Promise<SandboxSession> {
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
export async function closeSandboxSession(session: Partial<SandboxSession>): Promise<void> {
  await session.page?.context().close();
  await session.host?.close();
}

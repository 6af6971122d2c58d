/** Screenshots of a screen in both themes (kept under test-results/screenshots/) and its axe-core scan. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

const DIR = join(process.cwd(), 'test-results', 'screenshots');

/** Saves `<name>-light.png` and `<name>-dark.png` (the app follows the system theme by default). */
async function shootBothThemes(page: Page, name: string): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.screenshot({ path: join(DIR, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Fails on any serious or critical accessibility violation of the screen, in both themes (contrast differs). */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${screen} (${scheme}): ${v.id}: ${v.help} [${v.nodes
            .map(
              (n) => `${n.target.join(' ')} ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`,
            )
            .slice(0, 3)
            .join(', ')}]`,
      );
    expect(bad, bad.join('\n')).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Screenshots and accessibility scan together. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await shootBothThemes(page, name);
  await expectAccessible(page, name);
}

/** The window sizes every screen is looked at: a small laptop window, a common one, and a full HD screen. */
const WINDOW_SIZES = [
  { width: 900, height: 600 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/**
 * Screenshots (`<name>-<width>x<height>-<theme>.png`) and the axe scan at each of WINDOW_SIZES, in both themes,
 * with `subject` scrolled into view where the window is too small to show it at once (and, with `hover`, the
 * pointer on it, so a toast stays for every picture). The page gets its own size back afterwards.
 */
export async function checkAtEverySize(
  page: Page,
  name: string,
  subject?: Locator,
  options: { hover?: boolean } = {},
): Promise<void> {
  const before = page.viewportSize();
  for (const size of WINDOW_SIZES) {
    await page.setViewportSize(size);
    // Two frames let the layout (and the virtual list's measured rows) settle at the new size.
    await page.evaluate(
      () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
    );
    await subject?.scrollIntoViewIfNeeded();
    if (options.hover) await subject?.hover();
    await checkScreen(page, `${name}-${size.width}x${size.height}`);
  }
  if (before) await page.setViewportSize(before);
}

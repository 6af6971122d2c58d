/** The three window sizes every screen of the batch view is checked at, each in both themes with axe. */
import type { Locator, Page } from '@playwright/test';
import { checkScreen } from './screens.ts';

export const WINDOW_SIZES = [
  { width: 900, height: 600 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/**
 * Screenshots `<name>-<width>x<height>-<theme>.png` at each size and runs axe there, with `subject` scrolled into
 * view where the window is too small to show it at once (and, with `hover`, the pointer on it); the page ends at
 * 1280×800.
 */
export async function checkAtEverySize(
  page: Page,
  name: string,
  subject?: Locator,
  options: { hover?: boolean } = {},
): Promise<void> {
  for (const size of WINDOW_SIZES) {
    await page.setViewportSize(size);
    await subject?.scrollIntoViewIfNeeded();
    // A toast stays while the pointer is on it, so it is still there for every picture.
    if (options.hover) await subject?.hover();
    await checkScreen(page, `${name}-${size.width}x${size.height}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

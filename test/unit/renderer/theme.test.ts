import { describe, expect, it } from 'vitest';
import { applyTheme, drawnTheme } from '../../../renderer/theme.ts';

/** A MediaQueryList whose preference the test flips, as the system would. */
function fakeMedia(matches: boolean) {
  const listeners = new Set<() => void>();
  const media = {
    matches,
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  };
  return {
    media: media as unknown as MediaQueryList,
    flip(dark: boolean) {
      media.matches = dark;
      for (const listener of listeners) listener();
    },
    listeners,
  };
}

describe('the drawn theme', () => {
  it('is the setting itself unless it follows the system', () => {
    expect(drawnTheme('light', true)).toBe('light');
    expect(drawnTheme('dark', false)).toBe('dark');
    expect(drawnTheme('system', true)).toBe('dark');
    expect(drawnTheme('system', false)).toBe('light');
  });

  it('follows the system while "system" is set, and stops when told', () => {
    const root = { dataset: {} as DOMStringMap } as HTMLElement;
    const system = fakeMedia(false);
    const stop = applyTheme('system', root, system.media);
    expect(root.dataset.theme).toBe('light');
    system.flip(true);
    expect(root.dataset.theme).toBe('dark');
    stop();
    expect(system.listeners.size).toBe(0);
    system.flip(false);
    expect(root.dataset.theme).toBe('dark');
  });

  it('keeps a chosen theme whatever the system prefers', () => {
    const root = { dataset: {} as DOMStringMap } as HTMLElement;
    const system = fakeMedia(true);
    applyTheme('light', root, system.media);
    system.flip(false);
    system.flip(true);
    expect(root.dataset.theme).toBe('light');
  });
});

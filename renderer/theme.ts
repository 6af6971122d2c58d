/**
 * The theme the window draws: the setting, with "system" resolved to what the system prefers. Resolving it here
 * keeps one dark palette in styles.css (a media query would need the dark variables a second time).
 */
import type { Theme } from '../common/api.ts';

type DrawnTheme = 'light' | 'dark';

/** The theme to draw for a setting, given whether the system prefers dark. */
export function drawnTheme(setting: Theme, systemPrefersDark: boolean): DrawnTheme {
  if (setting === 'system') return systemPrefersDark ? 'dark' : 'light';
  return setting;
}

/** Draws `setting` now and whenever the system's preference changes; returns the function that stops following. */
export function applyTheme(setting: Theme, root: HTMLElement, media: MediaQueryList): () => void {
  const draw = (): void => {
    root.dataset.theme = drawnTheme(setting, media.matches);
  };
  draw();
  media.addEventListener('change', draw);
  return () => media.removeEventListener('change', draw);
}

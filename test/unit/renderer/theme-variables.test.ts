/**
 * The two theme blocks of renderer/styles.css (light and dark; "system" is drawn as one of them) each define the backdrop
 * and track colours, and the places that need them use them: an empty progress track and the "Not final yet" dot
 * stand clear of the surface, and a dialog's backdrop separates it from the page, in both themes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../../renderer/styles.css', import.meta.url), 'utf8');

/** The declarations of the first rule whose selector list ends with `selector`. */
function block(selector: string): string {
  const at = css.indexOf(`${selector} {`);
  expect(at, `a rule for ${selector}`).toBeGreaterThanOrEqual(0);
  return css.slice(at, css.indexOf('}', at));
}

function variable(declarations: string, name: string): string {
  const match = new RegExp(`--${name}:\\s*([^;]+);`).exec(declarations);
  expect(match, `--${name}`).not.toBeNull();
  return match?.[1]?.trim() ?? '';
}

/** Relative luminance of a #rrggbb colour (WCAG). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const THEMES = {
  light: block(":root[data-theme='light']"),
  dark: block(":root[data-theme='dark']"),
};

describe('theme variables', () => {
  it.each(Object.entries(THEMES))(
    '%s defines --backdrop and a --track that stands clear of --surface',
    (_, vars) => {
      const track = variable(vars, 'track');
      const surface = variable(vars, 'surface');
      // Clearly more apart from the surface than --surface-2, which the empty tracks used to be drawn with.
      expect(contrast(track, surface)).toBeGreaterThan(contrast(variable(vars, 'surface-2'), surface) + 0.1);
      expect(variable(vars, 'backdrop')).toMatch(/^rgb\(/);
    },
  );

  it('gives the dark theme a darker backdrop than the light one', () => {
    const alpha = (vars: string): number => Number(/\/\s*(\d+)%/.exec(variable(vars, 'backdrop'))?.[1]);
    expect(alpha(THEMES.dark)).toBeGreaterThanOrEqual(65);
    expect(alpha(THEMES.light)).toBeLessThan(alpha(THEMES.dark));
  });

  it('draws empty tracks, the "Not final yet" dot and the dialog backdrop with them', () => {
    expect(block('.bar')).toContain('background: var(--track)');
    expect(block('.legend-dot.pending')).toContain('background: var(--track)');
    expect(block('dialog::backdrop')).toContain('background: var(--backdrop)');
  });

  it('sets radios and checkboxes on the line of their label text', () => {
    expect(css).toMatch(
      /label\.inline input\[type='radio'\],\s*label\.inline input\[type='checkbox'\],[^{]*\{\s*margin: 0;/,
    );
  });
});

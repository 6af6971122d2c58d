/**
 * The tray icon's state dot, painted into raw BGRA pixels: the state's colour in the lower right corner, a clear ring
 * around it, the rest of the icon untouched, nothing for idle, and one icon made per state.
 */
import { describe, expect, it, vi } from 'vitest';
import { STATE_DOT_COLORS, stateIcons, withStateDot } from '../../../../main/app/tray-icon.ts';

const SIZE = 16;

/** A 16×16 opaque grey icon, in BGRA. */
function greyIcon(): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set([128, 128, 128, 255], i);
  return pixels;
}

/** The pixel at (x, y) as [red, green, blue, alpha]. */
function rgba(pixels: Buffer, x: number, y: number): number[] {
  const i = (y * SIZE + x) * 4;
  return [pixels[i + 2]!, pixels[i + 1]!, pixels[i]!, pixels[i + 3]!];
}

describe('withStateDot', () => {
  it.each(['error', 'uploading', 'paused'] as const)(
    'paints the %s colour in the lower right corner',
    (state) => {
      const base = greyIcon();
      const painted = withStateDot(base, SIZE, SIZE, state);
      const [r, g, b] = STATE_DOT_COLORS[state]!;
      // Near the dot's centre: the state's colour, opaque.
      expect(rgba(painted, 12, 12)).toEqual([r, g, b, 255]);
      // The top left, far from the dot, is the icon as it was.
      expect(rgba(painted, 1, 1)).toEqual([128, 128, 128, 255]);
      // Between dot and icon, a clear ring.
      const ringPixels = [...Array(SIZE).keys()].filter((x) => rgba(painted, x, 12)[3] === 0);
      expect(ringPixels.length).toBeGreaterThan(0);
      // The base icon is not changed in place: the other states are made from it too.
      expect(base.equals(greyIcon())).toBe(true);
    },
  );

  it('leaves the icon as it is when idle, and does not paint over a bitmap of the wrong size', () => {
    expect(withStateDot(greyIcon(), SIZE, SIZE, 'idle').equals(greyIcon())).toBe(true);
    const small = Buffer.alloc(10);
    expect(withStateDot(small, SIZE, SIZE, 'error').equals(small)).toBe(true);
  });

  it('gives each state its own colour', () => {
    const colours = Object.values(STATE_DOT_COLORS).filter(Boolean).map(String);
    expect(new Set(colours).size).toBe(3);
  });
});

describe('stateIcons', () => {
  it('makes one icon per state, once, from the base icon', () => {
    const base = { toBitmap: vi.fn(greyIcon), getSize: () => ({ width: SIZE, height: SIZE }) };
    const create = vi.fn((bitmap: Buffer, size: { width: number; height: number }) => ({ bitmap, size }));
    const iconFor = stateIcons(base, create);
    const error = iconFor('error');
    expect(iconFor('error')).toBe(error);
    expect(iconFor('idle').bitmap.equals(greyIcon())).toBe(true);
    expect(create).toHaveBeenCalledTimes(2);
    expect(base.toBitmap).toHaveBeenCalledTimes(1);
    expect(rgba(error.bitmap, 12, 12).slice(0, 3)).toEqual([...STATE_DOT_COLORS.error!]);
  });
});

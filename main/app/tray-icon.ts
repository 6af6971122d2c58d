/**
 * The tray icon wears the tray state (tray-state.ts) as a coloured dot in its lower right corner: red for an error,
 * blue while uploading, amber while paused, none when idle. It is painted into the icon's raw pixels, so one icon
 * file serves every state and platform.
 */
import type { TrayStateName } from './tray-state.ts';

/** The dot's colour by state, as [red, green, blue]; idle has none. */
export const STATE_DOT_COLORS: Readonly<Record<TrayStateName, readonly [number, number, number] | null>> = {
  error: [217, 48, 37],
  uploading: [47, 111, 237],
  paused: [229, 165, 10],
  idle: null,
};

/**
 * The icon's pixels with the state's dot. `bitmap` is `nativeImage.toBitmap()`: 4 bytes per pixel, blue, green, red,
 * alpha (Chromium's native order on the desktop platforms). The input is left untouched.
 */
export function withStateDot(bitmap: Buffer, width: number, height: number, state: TrayStateName): Buffer {
  const out = Buffer.from(bitmap);
  const color = STATE_DOT_COLORS[state];
  if (!color || out.length < width * height * 4) return out;
  const radius = Math.max(2, Math.round(Math.min(width, height) * 0.22));
  // A ring of the background around the dot keeps it readable on an icon of the same colour.
  const ring = radius + Math.max(1, Math.round(radius / 3));
  const cx = width - ring - 0.5;
  const cy = height - ring - 0.5;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const d = Math.hypot(x - cx, y - cy);
      if (d > ring) continue;
      const i = (y * width + x) * 4;
      if (d <= radius) {
        out[i] = color[2];
        out[i + 1] = color[1];
        out[i + 2] = color[0];
        out[i + 3] = 255;
      } else {
        out.fill(0, i, i + 4);
      }
    }
  }
  return out;
}

/** One icon per state, made once from the base icon's pixels (`create` is `nativeImage.createFromBitmap`). */
export function stateIcons<Icon>(
  base: { toBitmap(): Buffer; getSize(): { width: number; height: number } },
  create: (bitmap: Buffer, size: { width: number; height: number }) => Icon,
): (state: TrayStateName) => Icon {
  const size = base.getSize();
  const pixels = base.toBitmap();
  const made = new Map<TrayStateName, Icon>();
  return (state) => {
    let icon = made.get(state);
    if (icon === undefined) {
      icon = create(withStateDot(pixels, size.width, size.height, state), size);
      made.set(state, icon);
    }
    return icon;
  };
}

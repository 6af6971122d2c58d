/**
 * Sizes as people read them, the same in every host (the window, the CLI's lines, the messages of the engine):
 * decimal units, as disks and the size limits in settings count them, and 3 significant digits.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in decimal units, 3 significant digits: 0 → "0 B", 1536 → "1.54 KB", 2e9 → "2.00 GB"; not a size → "—". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

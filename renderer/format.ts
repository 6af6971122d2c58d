/**
 * Small pure formatters for the numbers people read: sizes, speeds, durations, counts, percentages and dates.
 * They never throw: a value that is not a finite number reads as "—".
 */

const DASH = '—';
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
const countFormat = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return DASH;
  return countFormat.format(Math.round(n));
}

/** Bytes in decimal units, 3 significant digits: 0 → "0 B", 1536 → "1.54 KB", 2e9 → "2.00 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return DASH;
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

/** Bytes per second: 2_500_000 → "2.50 MB/s"; zero or unknown → "—". */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return DASH;
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds as the two largest units: 45 → "45s", 125 → "2m 05s", 3700 → "1h 01m", 90000 → "1d 1h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return DASH;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** A ratio as a whole percentage, clamped to 0–100, never rounding up to 100 before the end: 0.999 → "99%". */
export function formatPercent(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return '0%';
  const ratio = Math.min(1, Math.max(0, part / whole));
  const pct = ratio < 1 ? Math.min(99, Math.floor(ratio * 100)) : 100;
  return `${pct}%`;
}

/** The share of `part` in `whole` in 0–1 (0 when the whole is empty), for progress bars. */
export function ratio(part: number, whole: number): number {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return 0;
  return Math.min(1, Math.max(0, part / whole));
}

/** An ISO time as a short local date and time; an unparsable one reads as "—". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return DASH;
  return new Date(t).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A count with its noun, singular or plural: (1, 'file') → "1 file", (1200, 'file') → "1,200 files". */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : pluralNoun}`;
}

/** The last part of a path, for either separator. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return cut >= 0 ? trimmed.slice(cut + 1) || trimmed : trimmed;
}

/** An error's message for people: the rejected promise's `message`, never a stack. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    const firstLine = error.message.split('\n')[0]?.trim();
    if (firstLine) return firstLine.replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
  }
  if (typeof error === 'string' && error.trim()) return error.trim();
  return 'Something went wrong, and no reason was given.';
}

/**
 * The folder a file is in, short enough to read in a list: its last two folders, with "…" for what is left out.
 * "/home/ana/shoot/day-2/a.jpg" → "…/shoot/day-2"; "/data/a.jpg" → "/data"; "C:\\in\\a.jpg" → "C:\\in".
 */
export function shortFolder(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return '';
  return shortenFolder(path.slice(0, cut) || path.slice(0, 1), path[cut]);
}

/** A folder shortened to its last two folders: "/home/ana/shoot/day-2" → "…/shoot/day-2"; "/data" stays. */
export function shortenFolder(
  folder: string,
  separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/',
): string {
  const parts = folder.split(/[\\/]/);
  if (parts.length <= 3) return folder;
  return ['…', ...parts.slice(-2)].join(separator);
}

/**
 * The folder a queued file was added from, shortened: its name may carry the folders below that one
 * ("nested/a.jpg"), so they are taken off the path rather than shown twice.
 */
export function addedFrom(path: string, name: string): string {
  const normalized = name.replace(/[\\/]/g, path.includes('\\') && !path.includes('/') ? '\\' : '/');
  const tail = path.endsWith(normalized) ? path.length - normalized.length : -1;
  const separator = path[tail - 1];
  if (tail > 0 && (separator === '/' || separator === '\\'))
    return shortenFolder(path.slice(0, tail - 1) || separator, separator);
  return shortFolder(path);
}

/** A skipped path as seen from the folder that was added (the whole path when it is outside every one). */
export function relativeToRoots(path: string, roots: readonly string[]): string {
  let best = '';
  for (const root of roots) {
    const base = root.replace(/[\\/]+$/, '');
    if (base.length <= best.length) continue;
    if (path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}\\`)) best = base;
  }
  if (!best) return path;
  if (path === best) return path.split(/[\\/]/).pop() || path;
  return path.slice(best.length + 1);
}

/**
 * The app's log file: one line per event, with a timestamp, in `<stateDir>/logs/app.log`, rotated at 5 MB. The
 * engine redacts every line before it gets here; the file is owner-only.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX_BYTES = 5 * 1024 * 1024;

/** Creates a line logger writing to the state folder's log file; returns it with the file's path. */
export function createLogFile(
  stateDir: string,
  now: () => number = Date.now,
): { path: string; log(line: string): void } {
  const dir = join(stateDir, 'logs');
  const path = join(dir, 'app.log');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return {
    path,
    log(line) {
      try {
        if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(path, `${path}.1`);
        appendFileSync(path, `${new Date(now()).toISOString()} ${line.replace(/\r?\n/g, ' ')}\n`, {
          mode: 0o600,
        });
      } catch {
        // Logging must never take the app down (disk full is reported by the queue itself).
      }
    },
  };
}

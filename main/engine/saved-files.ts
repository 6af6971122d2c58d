/**
 * The files the engine wrote for the user (lists saved as CSV, manifests) and the export files it offers: each gets
 * an id, and only a file registered here can be downloaded through the browser host. A link port, where the host
 * has one, makes each file's short-lived download link.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SavedFile } from '../../common/api.ts';

/** Makes the short-lived link that downloads a registered file (the browser host's; absent in the desktop app). */
export interface DownloadLinkPort {
  link(fileId: string): string;
}

export interface SavedFiles {
  /** Writes `content` as `name` into `dir` (a name taken gets " (2)", " (3)"…) and registers it. */
  write(dir: string, name: string, content: string, rows: number): Promise<SavedFile>;
  /** Registers a file already on disk (an export's file the export service wrote). */
  offer(path: string): SavedFile;
  /** The registered file with this id, or null. */
  find(fileId: string): { path: string; name: string } | null;
}

/** A file name from a user's words: no separators, controls or reserved characters, at most 120 characters. */
export function safeFileName(words: string): string {
  const cleaned = words
    .replace(/[\\/:*?"<>|]/g, '-')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not hold
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return cleaned.slice(0, 120) || 'batch';
}

export function createSavedFiles(links: () => DownloadLinkPort | null): SavedFiles {
  const files = new Map<string, { path: string; name: string }>();
  const register = (path: string, rows: number): SavedFile => {
    const id = randomUUID();
    const name = basename(path);
    files.set(id, { path, name });
    return { id, name, path, href: links()?.link(id) ?? null, rows };
  };
  return {
    async write(dir, name, content, rows) {
      await mkdir(dir, { recursive: true });
      const dot = name.lastIndexOf('.');
      const stem = dot > 0 ? name.slice(0, dot) : name;
      const ext = dot > 0 ? name.slice(dot) : '';
      for (let n = 1; ; n += 1) {
        const path = join(dir, n === 1 ? name : `${stem} (${n})${ext}`);
        try {
          // "wx": never overwrite a file the user already has.
          await writeFile(path, content, { flag: 'wx' });
          return register(path, rows);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 999) throw error;
        }
      }
    },
    offer: (path) => register(path, 0),
    find: (fileId) => files.get(fileId) ?? null,
  };
}

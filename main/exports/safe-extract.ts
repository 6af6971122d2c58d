/**
 * Safe extraction of an export zip. Every entry is checked before a single byte is written: no absolute paths, no
 * `..` segments, no links or devices (zip slip), no duplicate names, and caps on the count of files and on the
 * total size (zip bombs). Extraction then streams into a fresh hidden folder beside the target, checking each
 * entry's size and CRC-32, and renames it into place at the end; a refused or broken archive leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { ExportError, UnsafeArchiveError } from './export-errors.ts';

/** Caps that stop a zip bomb. */
export interface ExtractLimits {
  /** Most files (directories not counted). Default 200,000. */
  maxFiles: number;
  /** Most bytes written in total, after decompression. Default 16 GiB. */
  maxTotalBytes: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxFiles: 200_000,
  maxTotalBytes: 16 * 1024 ** 3,
};

/** What was extracted, and where. */
export interface ExtractResult {
  folder: string;
  files: number;
  bytes: number;
}

interface PlannedEntry {
  entry: Entry;
  name: string;
  directory: boolean;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** The folder an archive extracts into: its own name without the `.zip` suffix, beside it or in `parent`. */
export function extractionFolderFor(zipPath: string, parent = dirname(zipPath)): string {
  return join(parent, basename(zipPath).replace(/\.zip$/i, ''));
}

/** Why an entry name is unsafe, or undefined when it is a plain relative path. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'has an empty name';
  if (name.includes('\0')) return 'has a NUL character in its name';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out with ".."';
  return undefined;
}

/** Unix file type of an entry, when the archiver recorded one (0 when it did not). */
function unixType(entry: Entry): number {
  return (entry.externalFileAttributes >>> 16) & S_IFMT;
}

function refuse(zipPath: string, name: string, reason: string): UnsafeArchiveError {
  return new UnsafeArchiveError(
    'unsafe-archive',
    `refusing to extract ${basename(zipPath)}: entry "${name}" ${reason}; nothing was extracted`,
  );
}

function tooLarge(zipPath: string, what: string): UnsafeArchiveError {
  return new UnsafeArchiveError(
    'archive-too-large',
    `refusing to extract ${basename(zipPath)}: ${what}; nothing was extracted`,
  );
}

/** Reads the central directory and checks every entry against the rules and the caps. */
async function plan(
  zip: ZipFile,
  zipPath: string,
  root: string,
  limits: ExtractLimits,
): Promise<PlannedEntry[]> {
  // Folders are not counted as files, but an archive of millions of empty folders is refused up front too.
  if (zip.entryCount > limits.maxFiles * 2) {
    throw tooLarge(zipPath, `${zip.entryCount} entries exceed the limit of ${limits.maxFiles} files`);
  }
  const planned: PlannedEntry[] = [];
  const seen = new Set<string>();
  let files = 0;
  let declaredBytes = 0;
  for await (const entry of zip.eachEntry()) {
    // Backslashes become slashes here, so "a\..\..\x" is caught as ".." below.
    const raw = yauzl.getFileNameLowLevel(
      entry.generalPurposeBitFlag,
      entry.fileNameRaw,
      entry.extraFields,
      false,
    );
    const reason = unsafeNameReason(raw);
    if (reason) throw refuse(zipPath, raw, reason);
    const type = unixType(entry);
    if (type === S_IFLNK) throw refuse(zipPath, raw, 'is a symbolic link');
    const directory = raw.endsWith('/');
    if (type !== 0 && type !== (directory ? S_IFDIR : S_IFREG)) {
      throw refuse(zipPath, raw, 'is not a regular file or folder');
    }
    if (entry.isEncrypted()) throw refuse(zipPath, raw, 'is encrypted');
    const name = raw.replace(/\/+$/, '').replace(/\/{2,}/g, '/');
    if (name === '' || name === '.') continue;
    const target = resolve(root, name);
    if (!target.startsWith(root + sep)) throw refuse(zipPath, raw, 'resolves outside the target folder');
    const key = target.toLowerCase();
    if (seen.has(key) && !directory) throw refuse(zipPath, raw, 'appears twice');
    seen.add(key);
    if (!directory) {
      files += 1;
      declaredBytes += entry.uncompressedSize;
      if (files > limits.maxFiles) {
        throw tooLarge(zipPath, `more than ${limits.maxFiles} files`);
      }
      if (declaredBytes > limits.maxTotalBytes) {
        throw tooLarge(zipPath, `its contents exceed the limit of ${limits.maxTotalBytes} bytes`);
      }
    }
    planned.push({ entry, name, directory });
  }
  return planned;
}

/** Passes bytes through, computing their CRC-32 and counting them against the entry's declared size. */
function checker(zipPath: string, item: PlannedEntry): Transform {
  let crc = 0;
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc = crc32(chunk, crc);
      bytes += chunk.length;
      if (bytes > item.entry.uncompressedSize) {
        callback(refuse(zipPath, item.name, 'holds more bytes than it declares'));
        return;
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (bytes !== item.entry.uncompressedSize || crc >>> 0 !== item.entry.crc32 >>> 0) {
        callback(
          new ExportError(
            'unsafe-archive',
            `${basename(zipPath)} is corrupt: entry "${item.name}" fails its check`,
          ),
        );
        return;
      }
      callback();
    },
  });
}

/**
 * Extracts `zipPath` into `folder` (which must not exist yet, or be empty), enforcing the rules above.
 * Throws UnsafeArchiveError with a message naming the offending entry; nothing is written in that case.
 */
export async function extractZipSafely(
  zipPath: string,
  folder: string,
  limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS,
): Promise<ExtractResult> {
  const target = resolve(folder);
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (existing.length > 0) {
    throw new ExportError(
      'target-exists',
      `${target} already exists and is not empty; choose another folder`,
    );
  }
  const staging = join(dirname(target), `.${basename(target)}.extracting-${randomBytes(4).toString('hex')}`);
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, decodeStrings: false, autoClose: false });
  try {
    const entries = await plan(zip, zipPath, staging, limits);
    await mkdir(staging, { recursive: true });
    let files = 0;
    let bytes = 0;
    for (const item of entries) {
      const path = join(staging, item.name);
      if (item.directory) {
        await mkdir(path, { recursive: true });
        continue;
      }
      await mkdir(dirname(path), { recursive: true });
      const source = await zip.openReadStreamPromise(item.entry);
      // 'wx': never replace a file, not even one this extraction wrote.
      await pipeline(source, checker(zipPath, item), createWriteStream(path, { flags: 'wx' }));
      files += 1;
      bytes += item.entry.uncompressedSize;
    }
    // The target was checked empty; rmdir (not rm -r) cannot remove anything that appeared since.
    await rmdir(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, target);
    return { folder: target, files, bytes };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    zip.close();
  }
}

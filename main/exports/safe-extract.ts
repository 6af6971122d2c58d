/**
 * Safe extraction of an export zip. Every entry is checked before a single byte is written: no absolute paths, no
 * `..` segments, no links or devices (zip slip), no duplicate or clashing names (zip-paths.ts), only methods this
 * app can inflate (zip-methods.ts), and caps on the count of files, on the total size and on how far entries
 * expand (zip bombs, zip-limits.ts). Names are decoded as Info-ZIP's unzip decodes them and control characters in
 * them are replaced (zip-names.ts). Extraction then streams into a fresh hidden folder beside the target, checking
 * each entry's bytes as they are inflated (count, ratio, CRC-32), and renames it into place at the end; a refused
 * or broken archive leaves nothing behind, and every failure is a plain sentence naming the entry
 * (zip-failures.ts).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { ExportError, UnsafeArchiveError } from './export-errors.ts';
import { extractionFailure } from './zip-failures.ts';
import { PathClaims } from './zip-paths.ts';
import { DEFAULT_EXTRACT_LIMITS, ratioProblem } from './zip-limits.ts';
import type { ExtractLimits } from './zip-limits.ts';
import { unsupportedMethodReason } from './zip-methods.ts';
import { decodeEntryName, shownName, unsafeNameReason, withoutControls } from './zip-names.ts';

export { DEFAULT_EXTRACT_LIMITS } from './zip-limits.ts';
export type { ExtractLimits } from './zip-limits.ts';
export { renamedSentence, unsafeNameReason } from './zip-names.ts';

/** What was extracted, and where. */
export interface ExtractResult {
  folder: string;
  files: number;
  bytes: number;
  /** Entries written under another name because theirs held control characters: the name shown, then the one written. */
  renamed: { entry: string; written: string }[];
}

interface PlannedEntry {
  entry: Entry;
  /** The relative path written: decoded, control characters replaced, slashes tidied. */
  name: string;
  directory: boolean;
  /** The entry's own name (tidied), when control characters in it were replaced to make `name`. */
  renamedFrom: string | undefined;
}

/** A name without trailing or doubled slashes. */
function tidy(name: string): string {
  return name.replace(/\/+$/, '').replace(/\/{2,}/g, '/');
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** The folder an archive extracts into: its own name without the `.zip` suffix, beside it or in `parent`. */
export function extractionFolderFor(zipPath: string, parent = dirname(zipPath)): string {
  return join(parent, basename(zipPath).replace(/\.zip$/i, ''));
}

/** Unix file type of an entry, when the archiver recorded one (0 when it did not). */
function unixType(entry: Entry): number {
  return (entry.externalFileAttributes >>> 16) & S_IFMT;
}

function refuse(zipPath: string, name: string, reason: string): UnsafeArchiveError {
  return new UnsafeArchiveError(
    'unsafe-archive',
    `refusing to extract ${basename(zipPath)}: entry "${shownName(name)}" ${reason}; nothing was extracted`,
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
  const claims = new PathClaims();
  let files = 0;
  let declaredBytes = 0;
  let compressedBytes = 0;
  for await (const entry of zip.eachEntry()) {
    const decoded = decodeEntryName(entry);
    const reason = unsafeNameReason(decoded);
    if (reason) throw refuse(zipPath, decoded, reason);
    const type = unixType(entry);
    if (type === S_IFLNK) throw refuse(zipPath, decoded, 'is a symbolic link');
    const directory = decoded.endsWith('/');
    if (type !== 0 && type !== (directory ? S_IFDIR : S_IFREG)) {
      throw refuse(zipPath, decoded, 'is not a regular file or folder');
    }
    if (entry.isEncrypted()) throw refuse(zipPath, decoded, 'is encrypted');
    const cleaned = tidy(withoutControls(decoded));
    if (cleaned === '' || cleaned === '.') continue;
    const target = resolve(root, cleaned);
    if (!target.startsWith(root + sep)) throw refuse(zipPath, decoded, 'resolves outside the target folder');
    const claim = claims.claim(relative(root, target).split(sep), directory);
    if ('reason' in claim) throw refuse(zipPath, decoded, claim.reason);
    const name = claim.parts.join('/');
    if (!directory) {
      const method = unsupportedMethodReason(entry.compressionMethod);
      if (method) throw refuse(zipPath, decoded, method);
      files += 1;
      declaredBytes += entry.uncompressedSize;
      compressedBytes += entry.compressedSize;
      if (files > limits.maxFiles) {
        throw tooLarge(zipPath, `more than ${limits.maxFiles} files`);
      }
      if (declaredBytes > limits.maxTotalBytes) {
        throw tooLarge(zipPath, `its contents exceed the limit of ${limits.maxTotalBytes} bytes`);
      }
      const entryRatio = ratioProblem(entry.uncompressedSize, entry.compressedSize, limits);
      if (entryRatio) throw tooLarge(zipPath, `entry "${shownName(name)}" ${entryRatio}`);
      const totalRatio = ratioProblem(declaredBytes, compressedBytes, limits);
      if (totalRatio) throw tooLarge(zipPath, `the archive as a whole ${totalRatio}`);
    }
    // Only control characters count as a rename: a folder spelt as an earlier entry spelt it is the same folder.
    const renamedFrom = cleaned === tidy(decoded) ? undefined : tidy(decoded);
    planned.push({ entry, name, directory, renamedFrom });
  }
  return planned;
}

/**
 * Passes the inflated bytes through, computing their CRC-32 and counting them against the ratio and the entry's
 * declared size: a header that understates the size stops the entry here, however the archive was made.
 */
function checker(zipPath: string, item: PlannedEntry, limits: ExtractLimits): Transform {
  let crc = 0;
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc = crc32(chunk, crc);
      bytes += chunk.length;
      const ratio = ratioProblem(bytes, item.entry.compressedSize, limits);
      if (ratio) {
        callback(tooLarge(zipPath, `entry "${shownName(item.name)}" ${ratio}`));
        return;
      }
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
            `${basename(zipPath)} is corrupt: entry "${shownName(item.name)}" fails its check`,
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
  caps: Partial<ExtractLimits> = DEFAULT_EXTRACT_LIMITS,
): Promise<ExtractResult> {
  const limits: ExtractLimits = { ...DEFAULT_EXTRACT_LIMITS, ...caps };
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
  const zip = await yauzl
    .openPromise(zipPath, { lazyEntries: true, decodeStrings: false, autoClose: false })
    .catch((error: unknown) => {
      throw extractionFailure(error, zipPath);
    });
  try {
    const entries = await plan(zip, zipPath, staging, limits).catch((error: unknown) => {
      throw extractionFailure(error, zipPath);
    });
    await mkdir(staging, { recursive: true });
    let files = 0;
    let bytes = 0;
    for (const item of entries) {
      const path = join(staging, item.name);
      try {
        if (item.directory) {
          await mkdir(path, { recursive: true });
          continue;
        }
        await mkdir(dirname(path), { recursive: true });
        const source = await zip.openReadStreamPromise(item.entry);
        // 'wx': never replace a file, not even one this extraction wrote.
        await pipeline(source, checker(zipPath, item, limits), createWriteStream(path, { flags: 'wx' }));
      } catch (error) {
        throw extractionFailure(error, zipPath, item.name);
      }
      files += 1;
      bytes += item.entry.uncompressedSize;
    }
    // The target was checked empty; rmdir (not rm -r) cannot remove anything that appeared since.
    await rmdir(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, target);
    const renamed = entries.flatMap(({ renamedFrom, name }) =>
      renamedFrom === undefined ? [] : [{ entry: shownName(renamedFrom), written: name }],
    );
    return { folder: target, files, bytes, renamed };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    zip.close();
  }
}

/**
 * Plain sentences for what goes wrong while extracting: the file system's codes (EEXIST, ENAMETOOLONG, ENOTDIR,
 * EILSEQ…) and the messages of yauzl and zlib ("invalid central directory file header signature", "too many bytes
 * in the stream", "invalid distance too far back") never reach a person as they are. Each sentence names the
 * archive and, when one is known, the entry. Our own ExportErrors pass through untouched, and so does a full disk
 * (ENOSPC, EDQUOT), which the export runner reports as such.
 */
import { basename } from 'node:path';
import { ExportError } from './export-errors.ts';
import { unsupportedMethodReason } from './zip-methods.ts';
import { shownName } from './zip-names.ts';

/** What yauzl and zlib say, and what it means for a person. */
const ARCHIVE_FAULTS: [RegExp, string][] = [
  [/end of central directory record signature not found/i, 'is not a zip archive, or its end is missing'],
  [
    /central directory|multi-disk|zip64|invalid comment length/i,
    'is damaged: its table of contents cannot be read',
  ],
];
const ENTRY_FAULTS: [RegExp, string][] = [
  [
    /too many bytes in the stream|not enough bytes in the stream|compressed\/uncompressed size mismatch/,
    'is damaged: it holds a different number of bytes than it declares',
  ],
  [
    /local file header|file data overflows|extra field|invalid relative offset/i,
    'is damaged: its data cannot be found in the archive',
  ],
  [/encrypt/i, 'is encrypted'],
  [
    /incorrect header check|invalid (block type|stored block|distance|code|literal)|unexpected end of file|Z_BUF_ERROR|Z_DATA_ERROR/i,
    'is damaged: its compressed data is corrupt',
  ],
];

function archiveName(zipPath: string): string {
  return basename(zipPath);
}

/** The sentence for a file-system error while writing `entry` into the staging folder. */
function fsSentence(zipPath: string, entry: string, code: string): string {
  const where = `cannot extract ${archiveName(zipPath)}: entry "${shownName(entry)}"`;
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
    case 'EISDIR':
      return `${where} clashes with another entry of the same name (a file and a folder, or names that differ only in case or accents); nothing was extracted`;
    case 'ENAMETOOLONG':
      return `${where} makes a path longer than this system allows; extract into a folder with a shorter path; nothing was extracted`;
    case 'EILSEQ':
    case 'EINVAL':
      return `${where} has a name this file system cannot store; nothing was extracted`;
    case 'EACCES':
    case 'EPERM':
      return `${where} could not be written: permission denied; nothing was extracted`;
    default:
      return `${where} could not be written (the system said ${code}); nothing was extracted`;
  }
}

/**
 * The error to show for a failure while extracting `zipPath` (at `entry`, when one was being read or written).
 * ExportErrors are returned as they are; everything else becomes an ExportError with a plain sentence.
 */
export function extractionFailure(error: unknown, zipPath: string, entry?: string): unknown {
  if (error instanceof ExportError) return error;
  if ((error as { name?: unknown } | undefined)?.name === 'AbortError') return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return error;
  if (entry !== undefined && typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new ExportError('unsafe-archive', fsSentence(zipPath, entry, code), { cause: error });
  }
  const method = /unsupported compression method: (\d+)/.exec(message);
  const methodReason = method ? unsupportedMethodReason(Number(method[1])) : undefined;
  if (methodReason && entry !== undefined) {
    return new ExportError(
      'unsafe-archive',
      `cannot extract ${archiveName(zipPath)}: entry "${shownName(entry)}" ${methodReason}; nothing was extracted`,
      { cause: error },
    );
  }
  if (entry !== undefined) {
    const fault =
      ENTRY_FAULTS.find(([pattern]) => pattern.test(message))?.[1] ?? 'is damaged and cannot be read';
    return new ExportError(
      'unsafe-archive',
      `cannot extract ${archiveName(zipPath)}: entry "${shownName(entry)}" ${fault}; nothing was extracted`,
      { cause: error },
    );
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    const what =
      code === 'ENOENT'
        ? 'it no longer exists'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : `the system said ${code}`;
    return new ExportError('unsafe-archive', `cannot extract ${archiveName(zipPath)}: ${what}`, {
      cause: error,
    });
  }
  const fault =
    ARCHIVE_FAULTS.find(([pattern]) => pattern.test(message))?.[1] ?? 'is damaged and cannot be read';
  return new ExportError(
    'unsafe-archive',
    `cannot extract ${archiveName(zipPath)}: it ${fault}; nothing was extracted`,
    {
      cause: error,
    },
  );
}

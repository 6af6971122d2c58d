/** File-system errors of intake, turned into the short sentences users see next to a skipped file. */

/** A sentence for a file-system error code, e.g. "permission denied". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'unreadable: permission denied';
    case 'ENOENT':
      return 'vanished: it no longer exists';
    case 'ENOTDIR':
      return 'vanished: it is no longer a folder';
    case 'ELOOP':
      return 'unreadable: too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'unreadable: too many open files';
    case 'EIO':
      return 'unreadable: input/output error';
    default:
      return `unreadable: ${code ?? (error instanceof Error ? error.message : String(error))}`;
  }
}

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
    case 'EBUSY':
      return 'unreadable: another program has it locked';
    case 'EISDIR':
      return 'unreadable: it is a folder, not a file';
    case 'ENAMETOOLONG':
      return 'unreadable: its path is too long';
    case 'ETIMEDOUT':
    case 'EHOSTDOWN':
    case 'ESTALE':
      return 'unreadable: the network drive did not answer';
    default:
      // The code stays for support, behind words that say what kind of trouble it is.
      return code
        ? `unreadable: the system refused to read it (${code})`
        : `unreadable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

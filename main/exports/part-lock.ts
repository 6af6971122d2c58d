/**
 * One writer per export job: a `<name>.part.lock` file holding the owner's pid, taken before a job is worked on.
 * Two processes resuming the same `.part` would interleave their bytes; the second one is refused instead. A lock
 * left by a process that died (killed, crashed) is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { ExportError } from './export-errors.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of a job's `.part` file; resolves to the function that releases it. */
export async function acquirePartLock(partPath: string): Promise<() => Promise<void>> {
  const lockPath = `${partPath}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new ExportError(
          'busy',
          `another run (pid ${owner}) is already working on ${basename(partPath)}; wait for it, or remove ${basename(lockPath)} if that process is gone`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
}

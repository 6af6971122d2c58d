/**
 * Reading an upload journal, also while an upload holds it. The upload service keeps its journal under an
 * exclusive lock (WAL mode with EXCLUSIVE locking: no other connection may even read), so a reader that finds it
 * locked reads a copy of the database and its write-ahead log instead. The copy counts only when the database file
 * was the same before and after the log was copied and the log was not restarted meanwhile (no checkpoint ran):
 * then the log's committed frames over that database are a state the upload really had.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const SQLITE_BUSY = 5;
const COPY_ATTEMPTS = 5;
const RETRY_PAUSE_MS = 100;
/** The WAL header: magic, version, page size, checkpoint sequence, salts and checksum. */
const WAL_HEADER_BYTES = 32;

/** An open journal for reading; `close` also removes the copy when one was read. */
interface JournalReading {
  db: DatabaseSync;
  /** True when an upload held the journal and a copy of it was read. */
  copied: boolean;
  close(): void;
}

/** Opens the journal at `path` for reading, or a consistent copy of it when an upload holds it. */
export function openJournalForReading(path: string): JournalReading {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    // The lock shows on the first read, not at open.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return { db, copied: false, close: () => db.close() };
  } catch (error) {
    db.close();
    if ((error as { errcode?: number }).errcode !== SQLITE_BUSY) throw error;
  }
  for (let attempt = 1; attempt <= COPY_ATTEMPTS; attempt++) {
    const copy = consistentCopy(path);
    if (copy) return copy;
    pause(RETRY_PAUSE_MS * attempt);
  }
  throw new Error(
    `the upload journal ${path} is in use by an upload that keeps changing it; run the command again in a moment`,
  );
}

/** A copy of the database and its log taken while no checkpoint ran, opened; null when one ran meanwhile. */
function consistentCopy(path: string): JournalReading | null {
  const walPath = `${path}-wal`;
  const dir = mkdtempSync(join(tmpdir(), 'alegion-journal-'));
  const copyPath = join(dir, 'journal.sqlite');
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const before = readFileSync(path);
    const headerBefore = walHeader(walPath);
    if (existsSync(walPath)) copyFileSync(walPath, `${copyPath}-wal`);
    const after = readFileSync(path);
    if (!before.equals(after) || !headerBefore.equals(walHeader(walPath))) {
      remove();
      return null;
    }
    writeFileSync(copyPath, after);
    // Read-write on the copy: opening replays its log, which needs the log's index file beside it.
    const db = new DatabaseSync(copyPath);
    const check = db.prepare('PRAGMA quick_check').get() as Record<string, unknown> | undefined;
    if (Object.values(check ?? {})[0] !== 'ok') {
      db.close();
      remove();
      return null;
    }
    return {
      db,
      copied: true,
      close: () => {
        db.close();
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}

function walHeader(walPath: string): Buffer {
  const header = Buffer.alloc(WAL_HEADER_BYTES);
  if (!existsSync(walPath)) return header;
  const fd = openSync(walPath, 'r');
  try {
    readSync(fd, header, 0, WAL_HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  return header;
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

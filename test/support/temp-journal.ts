/** A fresh upload journal per test, in a temporary folder of its own, closed and removed after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openJournal } from '../../main/uploads/journal/journal.ts';
import type { Journal } from '../../main/uploads/journal/journal.ts';

interface TempJournal {
  /** The folder the journal (`uploads.sqlite`) is in; a test may put its own files there too. */
  readonly dir: string;
  /** The open journal. A test that reopens it assigns the new one here, and that one is closed after it. */
  journal: Journal;
}

/**
 * Opens a journal in a new folder named from `prefix` before each test of the suite this is called in, and
 * closes it and removes the folder after each. Read `dir` and `journal` inside tests and hooks only.
 */
export function useTempJournal(prefix: string): TempJournal {
  let dir: string | undefined;
  let journal: Journal | undefined;
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the temporary journal is open only while a test runs');
    return value;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    journal = openJournal(join(dir, 'uploads.sqlite'));
  });
  afterEach(() => {
    opened(journal).close();
    rmSync(opened(dir), { recursive: true, force: true });
    journal = undefined;
    dir = undefined;
  });
  return {
    get dir() {
      return opened(dir);
    },
    get journal() {
      return opened(journal);
    },
    set journal(next) {
      journal = next;
    },
  };
}

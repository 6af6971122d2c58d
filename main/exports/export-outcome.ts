/**
 * What an export run comes to and reports on the way: the events a host shows, a file on disk, or nothing to
 * download (and what the user is told then).
 */
import type { ExtractResult } from './safe-extract.ts';
import type { ExportJob } from './export-store.ts';
import type { DownloadEvent } from './resumable-download.ts';

/** What the runner reports while it works. */
export type ExportRunEvent =
  | { type: 'job'; job: ExportJob; resumed: boolean }
  | { type: 'waiting'; jobId: string; exportId: string; status: string; waitedMs: number }
  | { type: 'download'; jobId: string; event: DownloadEvent }
  | { type: 'extracted'; jobId: string; result: ExtractResult };

/** A finished export whose file was downloaded. */
export interface DownloadedExport {
  empty: false;
  job: ExportJob;
  path: string;
  bytes: number;
  md5: string;
  extractedTo: string | undefined;
  /** The `minCreatedAt` the export was made with (from the cursor when "since last" was asked). */
  minCreatedAt: string | undefined;
  /** Where the next "since last" export starts. */
  cursorAt: string;
  /** True when this call picked up a job an earlier run left unfinished. */
  resumed: boolean;
}

/** An export that had no result to hold: nothing was downloaded and the incremental-sync cursor did not move. */
export interface EmptyExport {
  empty: true;
  job: ExportJob;
  path: undefined;
  /** The `minCreatedAt` that was asked for (from the cursor when "since last" was asked). */
  minCreatedAt: string | undefined;
  /** Where the next "since last" export starts (unchanged); undefined when this scope was never exported. */
  cursorAt: string | undefined;
  resumed: boolean;
}

/** What the user is told when an export had no result to download. */
export function emptyMessage(minCreatedAt: string | undefined): string {
  return minCreatedAt === undefined
    ? 'no results match; nothing to download'
    : `no new results since ${minCreatedAt}; nothing to download`;
}

/** What a run comes to: a file on disk, or nothing to download. */
export type ExportOutcome = DownloadedExport | EmptyExport;

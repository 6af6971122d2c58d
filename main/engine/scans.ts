/**
 * "Add files" in two steps: a scan walks and classifies what the user chose and shows a summary (counts and bytes
 * by kind, what will be skipped and why, what was uploaded before), then the user queues it or discards it. The
 * walk never blocks the event loop; progress is announced a few times a second.
 */
import { randomUUID } from 'node:crypto';
import type { MediaKind } from '../../common/alegion.ts';
import type { ScanArgs, ScanSummary } from '../../common/api.ts';
import { classifyFile } from '../uploads/intake/classify.ts';
import { walkPathsOffThread } from '../uploads/intake/walk-off-thread.ts';
import { EngineError } from './errors.ts';
import { hashSameSizes } from './scan-plan.ts';

/** Skipped files listed by name in the summary (the count covers all of them). */
const LISTED_SKIPS = 200;
/** Scans kept at once: an abandoned one is dropped when a newer one needs its room. */
const MAX_SCANS = 8;
const PROGRESS_EVERY_MS = 200;
const CLASSIFY_CONCURRENCY = 8;
/** Names of files uploaded before, listed per workflow in the summary (the count covers all of them). */
const LISTED_BEFORE = 50;

/** A file the scan will queue, as it found it. */
export interface ScannedFile {
  path: string;
  relativePath: string;
  size: number;
  mtimeMs: number;
  kind: MediaKind;
  /** The workflows it was uploaded to before (same path, size and mtime). */
  uploadedTo: string[];
  /** Its MD5, for a file that shares its size with another (only those can share their content); else null. */
  md5: string | null;
}

export interface Scan {
  summary: ScanSummary;
  paths: string[];
  /** Every file found, and every file left out with its reason: queuing takes exactly these. */
  files: ScannedFile[];
  /** `walk`: left out by the walk (hidden, links…), not counted as found; else found and not taken (unsupported). */
  skipped: { path: string; size: number; reason: string; walk: boolean }[];
  workflowId: string | undefined;
  done: Promise<void>;
  abort: AbortController;
}

interface ScanRegistry {
  /** `uploadedTo` names the workflows a file (same path, size and mtime) was uploaded to before. */
  start(args: ScanArgs, uploadedTo: (path: string, size: number, mtimeMs: number) => string[]): ScanSummary;
  get(scanId: string): Scan;
  discard(scanId: string): void;
  close(): void;
}

function emptySummary(scanId: string): ScanSummary {
  const byKind = {
    image: { files: 0, bytes: 0 },
    video: { files: 0, bytes: 0 },
    text: { files: 0, bytes: 0 },
  };
  return {
    scanId,
    complete: false,
    files: 0,
    bytes: 0,
    byKind,
    skippedCount: 0,
    skipped: [],
    alreadyUploaded: 0,
    uploadedBefore: {},
    compared: { files: 0, done: 0 },
  };
}

/** Creates the scan registry; `onProgress` receives a copy of the summary as it grows and once complete. */
export function createScanRegistry(
  onProgress: (summary: ScanSummary) => void,
  now: () => number,
): ScanRegistry {
  const scans = new Map<string, Scan>();

  /** `size` is null for what the walk left out (it counts as not found). */
  const skip = (
    scan: Pick<Scan, 'summary' | 'skipped'>,
    path: string,
    reason: string,
    size: number | null,
  ): void => {
    scan.summary.skippedCount += 1;
    scan.skipped.push({ path, reason, size: size ?? 0, walk: size === null });
    if (scan.summary.skipped.length < LISTED_SKIPS) scan.summary.skipped.push({ path, reason });
  };

  return {
    start(args, uploadedTo) {
      if (scans.size >= MAX_SCANS) {
        const oldest = scans.keys().next().value;
        if (oldest !== undefined) this.discard(oldest);
      }
      const scanId = randomUUID();
      const summary = emptySummary(scanId);
      const files: ScannedFile[] = [];
      const found = { summary, skipped: [] as Scan['skipped'] };
      const abort = new AbortController();
      let lastEmit = 0;
      const report = (force = false): void => {
        if (!force && now() - lastEmit < PROGRESS_EVERY_MS) return;
        lastEmit = now();
        onProgress(structuredClone(summary));
      };
      const done = (async () => {
        try {
          const walk = walkPathsOffThread(args.paths, {
            signal: abort.signal,
            onSkip: (skipped) => skip(found, skipped.path, skipped.reason, null),
          });
          for await (const chunk of walk) {
            for (let i = 0; i < chunk.length; i += CLASSIFY_CONCURRENCY) {
              const slice = chunk.slice(i, i + CLASSIFY_CONCURRENCY);
              const kinds = await Promise.all(slice.map((file) => classifyFile(file.path, file.size)));
              slice.forEach((file, index) => {
                const kind = kinds[index]!;
                if ('skip' in kind) return skip(found, file.path, kind.skip, file.size);
                const before = uploadedTo(file.path, file.size, file.mtimeMs);
                files.push({
                  path: file.path,
                  relativePath: file.relativePath,
                  size: file.size,
                  mtimeMs: file.mtimeMs,
                  kind: kind.kind,
                  uploadedTo: before,
                  md5: null,
                });
                const bucket = summary.byKind[kind.kind as MediaKind];
                bucket.files += 1;
                bucket.bytes += file.size;
                summary.files += 1;
                summary.bytes += file.size;
                for (const workflowId of before) {
                  const before = (summary.uploadedBefore[workflowId] ??= { files: 0, names: [] });
                  before.files += 1;
                  if (before.names.length < LISTED_BEFORE) before.names.push(file.relativePath);
                  if (workflowId === args.workflowId) summary.alreadyUploaded += 1;
                }
              });
              if (abort.signal.aborted) return;
              report();
            }
          }
          await hashSameSizes(files, summary, abort.signal, report);
        } catch (error) {
          if (!abort.signal.aborted) summary.error = error instanceof Error ? error.message : String(error);
        } finally {
          summary.complete = true;
          if (!abort.signal.aborted) report(true);
        }
      })();
      scans.set(scanId, {
        summary,
        paths: [...args.paths],
        files,
        skipped: found.skipped,
        workflowId: args.workflowId,
        done,
        abort,
      });
      return structuredClone(summary);
    },
    get(scanId) {
      const scan = scans.get(scanId);
      if (!scan)
        throw new EngineError(
          'scan-not-found',
          'that scan is gone (discarded or replaced): add the files again',
        );
      return scan;
    },
    discard(scanId) {
      scans.get(scanId)?.abort.abort();
      scans.delete(scanId);
    },
    close() {
      for (const scan of scans.values()) scan.abort.abort();
      scans.clear();
    },
  };
}

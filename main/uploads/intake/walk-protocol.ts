/** Messages between the walk's worker (walk-worker.ts) and the thread that started it (walk-off-thread.ts). */
import type { FoundFile, SkippedFile } from './walk.ts';

/** What the worker is started with. */
export interface WalkWorkerData {
  paths: string[];
  chunkSize: number;
  /** Chunks the worker may post before the host has taken one (each taken chunk gives one more). */
  chunksAhead: number;
}

/** A chunk found, the end of the walk, or its failure; each with what was left out since the last message. */
export type WalkToHost =
  | { type: 'chunk'; files: FoundFile[]; skipped: SkippedFile[] }
  | { type: 'done'; skipped: SkippedFile[] }
  | { type: 'failed'; skipped: SkippedFile[]; message: string };

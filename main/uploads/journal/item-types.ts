/**
 * The journal's view of one queued thing: a file to upload as an asset, or an input record from a records file.
 * States are the contract's (`common/api.ts`); `paused` is kept as a flag beside the state, so a paused item
 * resumes exactly where it stood.
 */
import type { ItemState } from '../../../common/api.ts';
import type { MediaKind } from '../../../common/alegion.ts';

type ItemKind = 'file' | 'record';
/** A state as stored: everything but `paused`, which is a flag. */
export type StoredState = Exclude<ItemState, 'paused'>;

/** States an item never leaves by itself. */
export const TERMINAL_STATES: readonly StoredState[] = ['done', 'failed', 'canceled', 'skipped'];

/** True when an item is in a state it never leaves by itself. */
export function isTerminal(state: ItemState): boolean {
  return (TERMINAL_STATES as readonly ItemState[]).includes(state);
}

/** States as an SQL list, `('done', 'failed')`, for `state IN …` (the names are ours, never user text). */
export function sqlStates(states: readonly StoredState[]): string {
  return `(${states.map((state) => `'${state}'`).join(', ')})`;
}

/** States in which a file still has upload work to do (register, open, PUT, close). */
export const UPLOAD_STATES: readonly StoredState[] = [
  'probed',
  'registering',
  'registered',
  'uploading',
  'uploaded',
];

export interface ItemRow {
  id: number;
  runId: number;
  targetId: number;
  workflowId: string;
  kind: ItemKind;
  sourceKey: string;
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  mediaKind: MediaKind | null;
  mime: string | null;
  fps: number | null;
  /** True when the video's frame rate varies and `fps` is its average. */
  fpsVariable: boolean;
  frameCount: number | null;
  md5: string | null;
  payload: string | null;
  state: StoredState;
  paused: boolean;
  assetName: string | null;
  assetId: string | null;
  sessionUrl: string | null;
  sessionOpenedAt: number | null;
  etag: string | null;
  recordId: string | null;
  chunkId: number | null;
  reason: string | null;
  resumeState: StoredState | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

/** Columns an update may set (camelCase names of `items` columns). */
export type ItemPatch = Partial<
  Pick<
    ItemRow,
    | 'state'
    | 'paused'
    | 'mediaKind'
    | 'mime'
    | 'fps'
    | 'fpsVariable'
    | 'frameCount'
    | 'md5'
    | 'assetName'
    | 'assetId'
    | 'sessionUrl'
    | 'sessionOpenedAt'
    | 'etag'
    | 'recordId'
    | 'chunkId'
    | 'reason'
    | 'resumeState'
    | 'attempts'
  >
>;

/** A batch target as the journal keeps it. */
export interface TargetRow {
  id: number;
  /** The API base URL and username the target belongs to (a batch id means nothing on another server). */
  server: string;
  workflowId: string;
  batchId: string | null;
  newBatchName: string | null;
  enabled: boolean;
  declaredKind: MediaKind | null;
  state: 'ready' | 'pending' | 'creating';
  createdAt: number;
}

/** A records request written before it was posted. */
export interface ChunkRow {
  id: number;
  targetId: number;
  batchId: string;
  kind: 'assets' | 'import';
  state: 'posting' | 'done';
  countBefore: number | null;
  createdAt: number;
}

/** A file found by intake, ready to be queued. */
export interface NewFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  /** Its MD5 when the add already read it (a scan compares files of equal size), so intake need not again. */
  md5?: string | null;
}

/** A record of a records file, ready to be queued (payload = the JSON to import, external id included). */
export interface NewRecord {
  sourceKey: string;
  name: string;
  payload: string;
}

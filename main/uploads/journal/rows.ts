/**
 * Raw rows of the journal's tables mapped to their typed views, and the column names of item updates.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { ChunkRow, ItemPatch, ItemRow, StoredState, TargetRow } from './item-types.ts';

/** A raw row as node:sqlite returns it. */
export type Row = Record<string, SQLInputValue>;

/** The column of each patchable item field. */
const COLUMN: Record<keyof ItemPatch, string> = {
  state: 'state',
  paused: 'paused',
  mediaKind: 'media_kind',
  mime: 'mime',
  fps: 'fps',
  fpsVariable: 'fps_variable',
  frameCount: 'frame_count',
  md5: 'md5',
  assetName: 'asset_name',
  assetId: 'asset_id',
  sessionUrl: 'session_url',
  sessionOpenedAt: 'session_opened_at',
  etag: 'etag',
  recordId: 'record_id',
  chunkId: 'chunk_id',
  reason: 'reason',
  resumeState: 'resume_state',
  attempts: 'attempts',
};

/** Maps a raw `items` row to an ItemRow. */
export function toItem(row: Row): ItemRow {
  return {
    id: Number(row.id),
    runId: Number(row.run_id),
    targetId: Number(row.target_id),
    workflowId: String(row.workflow_id),
    kind: row.kind as ItemRow['kind'],
    sourceKey: String(row.source_key),
    path: String(row.path),
    name: String(row.name),
    size: Number(row.size),
    mtimeMs: Number(row.mtime_ms),
    mediaKind: (row.media_kind as ItemRow['mediaKind']) ?? null,
    mime: (row.mime as string | null) ?? null,
    fps: row.fps === null ? null : Number(row.fps),
    fpsVariable: Number(row.fps_variable) === 1,
    frameCount: row.frame_count === null ? null : Number(row.frame_count),
    md5: (row.md5 as string | null) ?? null,
    payload: (row.payload as string | null) ?? null,
    state: row.state as StoredState,
    paused: Number(row.paused) === 1,
    assetName: (row.asset_name as string | null) ?? null,
    assetId: (row.asset_id as string | null) ?? null,
    sessionUrl: (row.session_url as string | null) ?? null,
    sessionOpenedAt: row.session_opened_at === null ? null : Number(row.session_opened_at),
    etag: (row.etag as string | null) ?? null,
    recordId: (row.record_id as string | null) ?? null,
    chunkId: row.chunk_id === null ? null : Number(row.chunk_id),
    reason: (row.reason as string | null) ?? null,
    resumeState: (row.resume_state as StoredState | null) ?? null,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Maps a raw `targets` row to a TargetRow. */
export function toTarget(row: Row): TargetRow {
  return {
    id: Number(row.id),
    server: String(row.server ?? ''),
    workflowId: String(row.workflow_id),
    batchId: (row.batch_id as string | null) ?? null,
    newBatchName: (row.new_batch_name as string | null) ?? null,
    enabled: Number(row.enabled) === 1,
    declaredKind: (row.declared_kind as TargetRow['declaredKind']) ?? null,
    state: row.state as TargetRow['state'],
    createdAt: Number(row.created_at),
  };
}

/** Maps a raw `chunks` row to a ChunkRow. */
export function toChunk(row: Row): ChunkRow {
  return {
    id: Number(row.id),
    targetId: Number(row.target_id),
    batchId: String(row.batch_id),
    kind: row.kind as ChunkRow['kind'],
    state: row.state as ChunkRow['state'],
    countBefore: row.count_before === null ? null : Number(row.count_before),
    createdAt: Number(row.created_at),
  };
}

/** The `SET` list and values of an item patch (booleans as 0/1, undefined as NULL). */
export function patchAssignments(patch: ItemPatch): { sets: string; values: SQLInputValue[] } {
  const keys = Object.keys(patch) as (keyof ItemPatch)[];
  const sets = keys.map((key) => `${COLUMN[key]} = ?`).join(', ');
  const values = keys.map((key) => {
    const value = patch[key];
    if (typeof value === 'boolean') return value ? 1 : 0;
    return (value ?? null) as SQLInputValue;
  });
  return { sets, values };
}

/**
 * The queue as transfers: each run (one add of files, or one records file) with its own counts, bytes, speed and
 * time left, read from the count table (a few rows per run, whatever its size) and the live progress.
 */
import { basename, dirname } from 'node:path';
import type { BatchTransferView, TransferView } from '../../../common/api.ts';
import { etaSeconds } from './progress.ts';
import { countItems } from '../journal/queries.ts';
import { shownCounts } from './queue-views.ts';
import type { ViewContext } from './queue-views.ts';
import { getItem } from '../journal/items.ts';

/** Transfers listed at most (newest first): older ones stay in the journal and the history. */
const MAX_TRANSFERS = 50;

interface RunRow {
  id: number;
  started_at: number;
}

interface FirstItem {
  path: string;
  kind: string;
  workflow_id: string;
  batch_id: string | null;
  new_batch_name: string | null;
}

/** The server's transfers in the queue view, newest first; with `history`, those "Clear finished" took out. */
export function listTransfers(
  ctx: ViewContext,
  server: string,
  history: boolean,
  recordLimit: (runId: number) => TransferView['recordLimit'],
): TransferView[] {
  const runs = ctx.journal
    .stmt(
      `SELECT id, started_at FROM runs WHERE server = ? AND cleared = ?
         AND EXISTS (SELECT 1 FROM items WHERE run_id = runs.id) ORDER BY id DESC LIMIT ?`,
    )
    .all(server, history ? 1 : 0, MAX_TRANSFERS) as unknown as RunRow[];
  // Live bytes and speed of the files under way, by run: a handful of items, read one by one.
  const live = new Map<number, { bytes: number; speed: number }>();
  for (const transfer of ctx.progress.transfers()) {
    const runId = getItem(ctx.journal, transfer.id)?.runId;
    if (runId === undefined) continue;
    const sum = live.get(runId) ?? { bytes: 0, speed: 0 };
    sum.bytes += transfer.bytesSent;
    sum.speed += transfer.speed;
    live.set(runId, sum);
  }
  return runs.map((run) => ({
    ...transferView(ctx, run, live.get(run.id)),
    recordLimit: recordLimit(run.id),
  }));
}

/**
 * Every transfer of the server that fed the batch, newest first, whether still in the queue view or cleared from
 * it: the batch's history. Each carries when its last file changed, so the history says when the files went in.
 */
export function listBatchTransfers(
  ctx: ViewContext,
  server: string,
  batchId: string,
  recordLimit: (runId: number) => TransferView['recordLimit'],
): BatchTransferView[] {
  const runs = ctx.journal
    .stmt(
      `SELECT r.id, r.started_at, MAX(i.updated_at) AS last_at FROM runs r
         JOIN items i ON i.run_id = r.id JOIN targets t ON t.id = i.target_id
         WHERE r.server = ? AND t.batch_id = ? GROUP BY r.id ORDER BY r.id DESC`,
    )
    .all(server, batchId) as unknown as (RunRow & { last_at: number })[];
  return runs.map((run) => ({
    ...transferView(ctx, run, undefined),
    recordLimit: recordLimit(run.id),
    lastChangedAt: new Date(run.last_at).toISOString(),
  }));
}

function transferView(
  ctx: ViewContext,
  run: RunRow,
  live: { bytes: number; speed: number } | undefined,
): Omit<TransferView, 'recordLimit'> {
  const first = ctx.journal
    .stmt(
      `SELECT i.path, i.kind, t.workflow_id, t.batch_id, t.new_batch_name FROM items i
         JOIN targets t ON t.id = i.target_id WHERE i.run_id = ? ORDER BY i.id LIMIT 1`,
    )
    .get(run.id) as FirstItem | undefined;
  const counts = shownCounts(ctx, countItems(ctx.journal, run.id), live?.bytes ?? 0);
  const { files, bytes } = counts;
  const finished = files.waiting + files.active + files.paused === 0;
  const speed = ctx.mode === 'running' ? (live?.speed ?? 0) : 0;
  const records = first?.kind === 'record';
  return {
    id: run.id,
    startedAt: new Date(run.started_at).toISOString(),
    label: first ? basename(records ? first.path : dirname(first.path)) || first.path : '',
    kind: records ? 'records' : 'files',
    workflowId: first?.workflow_id ?? null,
    batchId: first?.batch_id ?? null,
    newBatchName: first?.new_batch_name ?? null,
    counts,
    speed,
    etaSeconds: finished ? 0 : etaSeconds(bytes.total - bytes.done, speed),
    finished,
  };
}

/** The ids of a transfer's failed items, for "Retry failed" on its summary. */
export function failedOfTransfer(ctx: Pick<ViewContext, 'journal'>, runId: number): number[] {
  const rows = ctx.journal
    .stmt("SELECT id FROM items WHERE run_id = ? AND state = 'failed' ORDER BY id")
    .all(runId) as { id: number }[];
  return rows.map((row) => Number(row.id));
}

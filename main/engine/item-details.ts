/**
 * "What happened to this file": one queue item with where it goes and its history of attempts and errors, read
 * from the journal. Workflow and batch names come from the platform when it answers quickly; the details never
 * wait on a slow or offline platform for them (the ids are shown instead).
 */
import { HISTORY_LIMIT } from '../../common/api.ts';
import type { ItemDetails } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import { itemHistory } from '../uploads/journal/queries.ts';
import type { UploadService } from '../uploads/upload-service.ts';
import { EngineError, redact } from './errors.ts';
import type { OutcomeLookup } from './record-outcome.ts';
import { getItem } from '../uploads/journal/items.ts';
import { getTarget } from '../uploads/journal/targets.ts';

/** How long the details wait for a name from the platform before showing without it. */
const NAME_WAIT_MS = 1500;

/** Looks up workflow and batch names, remembering the answers for the connection's life. */
export interface NameLookup {
  workflowName(workflowId: string): Promise<string | null>;
  batchName(batchId: string): Promise<string | null>;
}

/** A name lookup over a connected client; a failed or slow lookup gives null and is tried again next time. */
export function createNameLookup(client: AlegionClient, waitMs = NAME_WAIT_MS): NameLookup {
  const workflows = new Map<string, Promise<string | null>>();
  const batches = new Map<string, Promise<string | null>>();
  let workflowListing: Promise<Map<string, string>> | null = null;

  const within = <T>(promise: Promise<T>): Promise<T | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), waitMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        () => {
          clearTimeout(timer);
          resolve(null);
        },
      );
    });
  const remembered = (
    cache: Map<string, Promise<string | null>>,
    id: string,
    read: () => Promise<string | null>,
  ): Promise<string | null> => {
    let name = cache.get(id);
    if (!name) {
      name = within(read());
      cache.set(id, name);
      // Forget misses, so a later look (once the platform answers) can find the name.
      void name.then((value) => value === null && cache.delete(id));
    }
    return name;
  };

  return {
    workflowName: (workflowId) =>
      remembered(workflows, workflowId, async () => {
        // One listing serves every workflow; a failed listing, or one without this workflow, is read again later.
        workflowListing ??= listWorkflowNames(client);
        try {
          const name = (await workflowListing).get(workflowId) ?? null;
          if (name === null) workflowListing = null;
          return name;
        } catch (error) {
          workflowListing = null;
          throw error;
        }
      }),
    batchName: (batchId) => remembered(batches, batchId, async () => (await client.getBatch(batchId)).name),
  };
}

async function listWorkflowNames(client: AlegionClient): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const workflow of client.listWorkflows({ pageSize: 100 })) names.set(workflow.id, workflow.name);
  return names;
}

/** The details of one item, or the clear "no longer in the queue" error. Messages are redacted of `secrets`. */
export async function itemDetails(
  service: UploadService,
  names: NameLookup,
  id: number,
  secrets: Iterable<string>,
  outcome?: OutcomeLookup,
): Promise<ItemDetails> {
  const row = getItem(service.journal, id);
  if (!row) {
    throw new EngineError(
      'item-not-found',
      'That file is no longer in the queue: it may have been removed, or the queue was cleared.',
    );
  }
  const target = getTarget(service.journal, row.targetId);
  const history = itemHistory(service.journal, id, HISTORY_LIMIT);
  const masks = [...secrets];
  const item = service.view(row);
  const batchId = item.batchId ?? target?.batchId ?? null;
  const recorded = item.state === 'done' && batchId !== null && (item.recordId ?? item.assetId) !== null;
  const [workflowName, batchName, labeling] = await Promise.all([
    names.workflowName(row.workflowId),
    target?.newBatchName
      ? Promise.resolve(target.newBatchName)
      : target?.batchId
        ? names.batchName(target.batchId)
        : Promise.resolve(null),
    recorded && outcome && batchId ? outcome(batchId, item.recordId, item.assetId) : Promise.resolve(null),
  ]);
  return {
    item: { ...item, error: item.error === null ? null : redact(item.error, masks) },
    workflowName,
    batchName,
    queuedAt: new Date(row.createdAt).toISOString(),
    video:
      row.fps !== null && row.frameCount !== null
        ? { fps: row.fps, frameCount: row.frameCount, variable: row.fpsVariable }
        : null,
    history: history.entries.map((entry) => ({
      at: new Date(entry.at).toISOString(),
      step: entry.step,
      attempt: entry.attempt,
      message: redact(entry.message, masks),
    })),
    historyTotal: history.total,
    labeling,
  };
}

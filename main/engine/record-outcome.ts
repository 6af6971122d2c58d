/**
 * A file's labeling outcome, from the records its batch lists: the record this app made for the file (by its
 * record id, or by its asset where the id was never learnt) and that record's status. The platform has no
 * single-record read, so the batch's listing is read until the record turns up.
 */
import type { LabelingOutcome } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';

export type OutcomeLookup = (
  batchId: string,
  recordId: string | null,
  assetId: string | null,
) => Promise<LabelingOutcome>;

const PAGE = 1000;

/** Finds the record and its status; `not-found` when the batch lists none for the file, `unknown` on a failure. */
export function createOutcomeLookup(client: AlegionClient): OutcomeLookup {
  return async (batchId, recordId, assetId) => {
    if (!recordId && !assetId) return { status: 'not-found', recordId: null, createdAt: null };
    try {
      for await (const record of client.listRecords(batchId, { pageSize: PAGE })) {
        if ((recordId && record.id === recordId) || (!recordId && assetId && record.assetId === assetId)) {
          return { status: record.status, recordId: record.id, createdAt: record.createdAt };
        }
      }
      return { status: 'not-found', recordId, createdAt: null };
    } catch {
      return { status: 'unknown', recordId, createdAt: null };
    }
  };
}

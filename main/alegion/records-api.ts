/** The input records endpoints of a batch: records for assets, imported records, and their listing, posted in chunks of at most 1,000. */
import { z } from 'zod';
import {
  CreateAssetRecordsResponse,
  ImportRecord,
  InputRecord,
  RECORDS_PER_REQUEST,
} from '../../common/alegion.ts';
import { chunk } from './chunks.ts';
import { batchRef, seg } from './client-core.ts';
import type { ClientCore } from './client-core.ts';
import type { AlegionClient } from './types.ts';

/** The input records endpoints of a batch: records for assets, imported records, and their listing, posted in chunks of at most 1,000. */
export function recordMethods(
  core: ClientCore,
): Pick<AlegionClient, 'createAssetRecords' | 'importRecords' | 'listRecords'> {
  const { call, parse, validated, listing } = core;
  return {
    async createAssetRecords(batchId, assetIds, chunkOptions) {
      const merged: CreateAssetRecordsResponse = { created: [], assetValidationErrors: [] };
      const chunks = chunk(assetIds, RECORDS_PER_REQUEST);
      for (const [index, ids] of chunks.entries()) {
        const response = await call({
          method: 'POST',
          path: `/batches/${seg(batchId)}/records/assets`,
          json: { assetIds: ids },
          kind: 'create',
          operation:
            chunks.length > 1
              ? `createAssetRecords (chunk ${index + 1} of ${chunks.length})`
              : 'createAssetRecords',
          notFound: batchRef(batchId),
          ids: [batchId, ...ids],
        });
        const result = parse(CreateAssetRecordsResponse, response, 'createAssetRecords');
        merged.created.push(...result.created);
        merged.assetValidationErrors.push(...result.assetValidationErrors);
        chunkOptions?.onChunk?.(result, index, chunks.length);
      }
      return merged;
    },
    async importRecords(batchId, records, chunkOptions) {
      const body = validated(z.array(ImportRecord), records, 'importRecords');
      const created: InputRecord[] = [];
      const chunks = chunk(body, RECORDS_PER_REQUEST);
      for (const [index, part] of chunks.entries()) {
        const response = await call({
          method: 'POST',
          path: `/batches/${seg(batchId)}/records/import`,
          json: part,
          kind: 'create',
          operation:
            chunks.length > 1 ? `importRecords (chunk ${index + 1} of ${chunks.length})` : 'importRecords',
          notFound: batchRef(batchId),
          ids: [batchId],
        });
        const result = parse(z.array(InputRecord), response, 'importRecords');
        created.push(...result);
        chunkOptions?.onChunk?.(result, index, chunks.length);
      }
      return created;
    },
    listRecords(batchId, query = {}) {
      const { status, ...paging } = query;
      return listing(
        InputRecord,
        `/batches/${seg(batchId)}/records`,
        { ...paging, status },
        'listRecords',
        batchRef(batchId),
        [batchId],
      );
    },
  };
}

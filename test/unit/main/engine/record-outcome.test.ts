/** A file's labeling outcome is its record's status as the batch lists it, found by record id or by asset. */
import { describe, expect, it } from 'vitest';
import type { InputRecord } from '../../../../common/alegion.ts';
import type { AlegionClient } from '../../../../main/alegion/types.ts';
import { createOutcomeLookup } from '../../../../main/engine/record-outcome.ts';

function clientListing(records: InputRecord[], fail = false): AlegionClient {
  return {
    listRecords: () => ({
      count: async () => records.length,
      async *[Symbol.asyncIterator]() {
        if (fail) throw new Error('the platform answered 503');
        yield* records;
      },
    }),
  } as unknown as AlegionClient;
}

const record = (id: string, status: string, assetId: string | null): InputRecord => ({
  id,
  status,
  assetId,
  createdAt: '2026-12-01T10:00:00Z',
  data: null,
});

describe('labeling outcome', () => {
  const records = [
    record('r1', 'complete', 'a1'),
    record('r2', 'canceled', 'a2'),
    record('r3', 'exception', 'a3'),
  ];

  it('is the status of the record with the file’s id, or of the record made from its asset', async () => {
    const lookup = createOutcomeLookup(clientListing(records));
    expect(await lookup('b', 'r2', 'a2')).toEqual({
      status: 'canceled',
      recordId: 'r2',
      createdAt: '2026-12-01T10:00:00Z',
    });
    // The record id was never learnt: the asset finds it, and names the record.
    expect(await lookup('b', null, 'a3')).toMatchObject({ status: 'exception', recordId: 'r3' });
    // A known record id wins over the asset (a retry may have made a second record of the asset).
    expect((await lookup('b', 'r1', 'a3')).status).toBe('complete');
  });

  it('says when the batch lists no record for the file, and when the listing failed', async () => {
    expect((await createOutcomeLookup(clientListing(records))('b', 'r9', null)).status).toBe('not-found');
    expect((await createOutcomeLookup(clientListing(records, true))('b', 'r1', null)).status).toBe('unknown');
  });
});

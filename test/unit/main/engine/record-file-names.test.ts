import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordView } from '../../../../common/api.ts';
import { withFileNames } from '../../../../main/engine/catalog.ts';
import type { SourceLookup } from '../../../../main/engine/catalog.ts';
import { uploadedSources } from '../../../../main/uploads/journal/queries.ts';
import { openJournal } from '../../../../main/uploads/journal/journal.ts';
import type { Journal } from '../../../../main/uploads/journal/journal.ts';
import { insertFiles } from '../../../../main/uploads/journal/items.ts';
import { ensureTarget, openRun } from '../../../../main/uploads/journal/targets.ts';

const WORKFLOW = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';
const BATCH = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const OTHER_BATCH = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

function record(id: string, assetId: string | null, metadata: string | null = null): RecordView {
  return { id, status: 'exception', metadata, assetId, createdAt: '2026-11-29T18:00:00Z' };
}

describe('the files behind a batch’s records, from the upload journal', () => {
  let dir: string;
  let journal: Journal;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'record-names-'));
    journal = openJournal(join(dir, 'uploads.sqlite'), () => 1_000);
  });
  afterEach(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Queues files into a batch and gives each the asset and record ids the platform would have. */
  function uploaded(
    batchId: string,
    files: { path: string; assetId: string; recordId: string | null }[],
  ): void {
    const target = ensureTarget(journal, WORKFLOW, { batchId });
    const run = openRun(journal, `run-${batchId}`);
    insertFiles(
      journal,
      run.id,
      target,
      files.map((f) => ({ path: f.path, name: f.path.split('/').pop() as string, size: 10, mtimeMs: 1 })),
      false,
    );
    const set = journal.db.prepare(
      "UPDATE items SET state = 'done', asset_id = ?, record_id = ? WHERE source_key = ? AND run_id = ?",
    );
    for (const f of files) set.run(f.assetId, f.recordId, f.path, run.id);
  }

  it('matches on record id, else on asset id, only within the batch', () => {
    uploaded(BATCH, [
      { path: '/photos/shelf/a.jpg', assetId: 'asset-a', recordId: 'rec-a' },
      { path: '/photos/shelf/nested/b.png', assetId: 'asset-b', recordId: null },
      { path: '/photos/shelf/c.jpg', assetId: 'asset-c', recordId: 'rec-c' },
    ]);
    uploaded(OTHER_BATCH, [{ path: '/elsewhere/d.jpg', assetId: 'asset-d', recordId: 'rec-d' }]);
    const found = uploadedSources(journal, BATCH, ['rec-a', 'rec-d', 'rec-x'], ['asset-b', 'asset-d']);
    expect(found.map((s) => s.path)).toEqual(['/photos/shelf/a.jpg', '/photos/shelf/nested/b.png']);
    expect(found[0]).toMatchObject({ kind: 'file', recordId: 'rec-a', assetId: 'asset-a', name: 'a.jpg' });
    expect(uploadedSources(journal, BATCH, [], [])).toEqual([]);
    expect(uploadedSources(journal, OTHER_BATCH, ['rec-d'], [])).toHaveLength(1);
  });

  it('names the records of a page through the journal; a record from elsewhere keeps its id and metadata', () => {
    uploaded(BATCH, [
      { path: '/photos/shelf/a.jpg', assetId: 'asset-a', recordId: 'rec-a' },
      { path: '/photos/shelf/nested/b.png', assetId: 'asset-b', recordId: null },
    ]);
    const lookup: SourceLookup = (batchId, recordIds, assetIds) =>
      uploadedSources(journal, batchId, recordIds, assetIds);
    const named = withFileNames(
      BATCH,
      [record('rec-a', 'asset-a'), record('rec-b', 'asset-b'), record('rec-z', 'asset-z', '{"sku":"42"}')],
      lookup,
    );
    expect(named[0]).toMatchObject({ id: 'rec-a', fileName: 'a.jpg', folder: '/photos/shelf' });
    expect(named[1]).toMatchObject({ id: 'rec-b', fileName: 'b.png', folder: '/photos/shelf/nested' });
    expect(named[2]).toEqual(record('rec-z', 'asset-z', '{"sku":"42"}'));
    expect(named[2]?.fileName).toBeUndefined();
  });

  it('names a row of a records file as the queue does, with the file it came from', () => {
    const lookup: SourceLookup = () => [
      {
        kind: 'record',
        recordId: 'rec-1',
        assetId: null,
        name: 'people.jsonl line 3',
        path: '/docs/people.jsonl',
      },
    ];
    const [named] = withFileNames(BATCH, [record('rec-1', null)], lookup);
    expect(named).toMatchObject({ fileName: 'people.jsonl line 3', folder: '/docs' });
  });
});

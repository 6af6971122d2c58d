import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItemView } from '../../../../../common/api.ts';
import { itemDetails } from '../../../../../main/engine/item-details.ts';
import type { NameLookup } from '../../../../../main/engine/item-details.ts';
import { itemHistory } from '../../../../../main/uploads/journal/queries.ts';
import { openJournal } from '../../../../../main/uploads/journal/journal.ts';
import type { Journal } from '../../../../../main/uploads/journal/journal.ts';
import type { ItemRow } from '../../../../../main/uploads/journal/item-types.ts';
import type { UploadService } from '../../../../../main/uploads/upload-service.ts';
import { addEvent, advanceItem, insertFiles } from '../../../../../main/uploads/journal/items.ts';
import { ensureTarget, openRun } from '../../../../../main/uploads/journal/targets.ts';

const WORKFLOW = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';
const BATCH = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

describe('item history in the journal', () => {
  let dir: string;
  let journal: Journal;
  let clock = 1_000;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'item-history-'));
    clock = 1_000;
    journal = openJournal(join(dir, 'uploads.sqlite'), () => clock);
  });
  afterEach(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function queue(names: string[], target = ensureTarget(journal, WORKFLOW, { batchId: BATCH })): number[] {
    const run = openRun(journal, 'history');
    insertFiles(
      journal,
      run.id,
      target,
      names.map((name) => ({ path: `/data/${name}`, name, size: 2048, mtimeMs: 1 })),
      false,
    );
    return names.map((name) => {
      const row = journal.db.prepare('SELECT id FROM items WHERE name = ?').get(name) as { id: number };
      return Number(row.id);
    });
  }

  it('numbers an item’s entries from 1, oldest first, apart from other items’ entries', () => {
    const [a, b] = queue(['a.jpg', 'b.jpg']) as [number, number];
    addEvent(journal, a, 'intake', 'the file changed since it was added');
    clock += 10;
    addEvent(journal, b, 'uploading', 'the storage answered 503');
    clock += 10;
    addEvent(journal, a, 'uploading', 'cannot reach storage');
    expect(itemHistory(journal, a, 200)).toEqual({
      entries: [
        { at: 1_000, step: 'intake', message: 'the file changed since it was added', attempt: 1 },
        { at: 1_020, step: 'uploading', message: 'cannot reach storage', attempt: 2 },
      ],
      total: 2,
    });
    expect(itemHistory(journal, b, 200).entries.map((e) => e.attempt)).toEqual([1]);
    expect(itemHistory(journal, 999, 200)).toEqual({ entries: [], total: 0 });
  });

  it('keeps the latest entries past the limit, with their true attempt numbers', () => {
    const [id] = queue(['long.jpg']) as [number];
    for (let i = 1; i <= 7; i++) {
      clock += 1;
      addEvent(journal, id, 'uploading', `try ${i}`);
    }
    const history = itemHistory(journal, id, 3);
    expect(history.total).toBe(7);
    expect(history.entries.map((e) => [e.attempt, e.message])).toEqual([
      [5, 'try 5'],
      [6, 'try 6'],
      [7, 'try 7'],
    ]);
  });

  it('details: names from the lookup (a new batch by its typed name), messages masked, a clear error for a gone id', async () => {
    const newBatch = ensureTarget(journal, WORKFLOW, { newBatchName: 'June shelves', enabled: false });
    const [id] = queue(['shelf.jpg'], newBatch) as [number];
    addEvent(
      journal,
      id,
      'uploading',
      'storage refused https://storage.example/asset/1?X-Amz-Signature=abc123&X-Amz-Credential=k with key sk-secret-123',
    );
    advanceItem(journal, id, { state: 'failed', reason: 'rejected for key sk-secret-123', attempts: 1 });
    const asked: string[] = [];
    const names: NameLookup = {
      workflowName: async (workflowId) => (asked.push(workflowId), 'Sandbox image boxes'),
      batchName: async (batchId) => (asked.push(batchId), 'should not be asked'),
    };
    const service = {
      journal,
      view: (row: ItemRow) =>
        ({ id: row.id, name: row.name, state: row.state, error: row.reason }) as QueueItemView,
    } as unknown as UploadService;
    const details = await itemDetails(service, names, id, ['sk-secret-123']);
    expect(details.workflowName).toBe('Sandbox image boxes');
    expect(details.batchName).toBe('June shelves');
    expect(asked).toEqual([WORKFLOW]);
    expect(details.history[0]?.message).toBe(
      'storage refused https://storage.example/asset/1?… with key ••••',
    );
    expect(details.item.error).toBe('rejected for key ••••');
    expect(details.queuedAt).toBe(new Date(1_000).toISOString());

    await expect(itemDetails(service, names, id + 100, [])).rejects.toMatchObject({
      code: 'item-not-found',
      message: expect.stringMatching(/^That file is no longer in the queue/),
    });
  });
});

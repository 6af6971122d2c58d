import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportStore } from '../../../../main/exports/export-store.ts';
import type { NewExportJob } from '../../../../main/exports/export-store.ts';
import { defaultStateDir } from '../../../../main/state/app-state-dir.ts';

const W = '11111111-1111-4111-8111-111111111111';
const B1 = '22222222-2222-4222-8222-222222222222';
const B2 = '33333333-3333-4333-8333-333333333333';

let dir: string;
let store: ExportStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-store-'));
  store = new ExportStore(join(dir, 'state', 'exports.sqlite'));
});

afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

function newJob(jobId: string, batchIds: string[] = [], fingerprint = 'fp'): NewExportJob {
  return {
    jobId,
    workflowId: W,
    batchIds,
    fileType: 'zip',
    filename: `${jobId}.zip`,
    minCreatedAt: undefined,
    maxCreatedAt: undefined,
    fingerprint,
    targetPath: join(dir, `${jobId}.zip`),
    partPath: join(dir, `${jobId}.zip.part`),
    extract: false,
  };
}

describe('ExportStore', () => {
  it('keeps an in-flight job and its checkpoint across a reopen (a process restart)', () => {
    store.insertJob(newJob('j1'));
    store.setExport('j1', 'e1', '2026-01-01T00:00:00Z', 3);
    store.setStatus('j1', 'downloading');
    store.saveCheckpoint('j1', { bytes: 500, totalBytes: 1000, etag: 'abc' });
    store.close();
    store = new ExportStore(join(dir, 'state', 'exports.sqlite'));
    expect(store.findResumable('fp')).toMatchObject({
      jobId: 'j1',
      exportId: 'e1',
      status: 'downloading',
      bytes: 500,
      totalBytes: 1000,
      etag: 'abc',
      recordResultCount: 3,
    });
    expect(store.listInFlight().map((j) => j.jobId)).toEqual(['j1']);
  });

  it('does not offer finished, failed or canceled jobs for resuming', () => {
    for (const [id, status] of [
      ['a', 'done'],
      ['b', 'failed'],
      ['c', 'canceled'],
    ] as const) {
      store.insertJob(newJob(id));
      store.setStatus(id, status);
    }
    expect(store.findResumable('fp')).toBeUndefined();
    expect(store.listInFlight()).toEqual([]);
  });

  it('moves the cursors of the exported scope forward when a job completes, never backward', () => {
    store.insertJob(newJob('j1', [B1, B2]));
    store.setExport('j1', 'e1', '2026-01-02T00:00:00Z', 1);
    store.completeJob('j1', '2026-01-02T00:00:00Z');
    expect(store.getCursor(W, B1)?.lastCreatedAt).toBe('2026-01-02T00:00:00Z');
    expect(store.getCursor(W, B2)?.exportId).toBe('e1');
    expect(store.getCursor(W)).toBeUndefined();
    expect(store.getJob('j1')?.status).toBe('done');

    store.insertJob(newJob('j2', [B1]));
    store.setExport('j2', 'e2', '2026-01-01T00:00:00Z', 1);
    store.completeJob('j2', '2026-01-01T00:00:00.000Z');
    expect(store.getCursor(W, B1)?.lastCreatedAt).toBe('2026-01-02T00:00:00Z');
  });

  it('answers "since last export" per scope: a workflow export covers its batches, the earliest batch wins', () => {
    expect(store.sinceLastExport(W)).toBeUndefined();
    store.insertJob(newJob('j1', [B1]));
    store.setExport('j1', 'e1', '2026-01-05T00:00:00Z', 1);
    store.completeJob('j1', '2026-01-05T00:00:00Z');
    expect(store.sinceLastExport(W, [B1])).toBe('2026-01-05T00:00:00Z');
    // B2 was never exported: everything of it is new.
    expect(store.sinceLastExport(W, [B1, B2])).toBeUndefined();
    expect(store.sinceLastExport(W)).toBeUndefined();

    store.insertJob(newJob('j2'));
    store.setExport('j2', 'e2', '2026-01-03T00:00:00Z', 1);
    store.completeJob('j2', '2026-01-03T00:00:00Z');
    expect(store.sinceLastExport(W)).toBe('2026-01-03T00:00:00Z');
    expect(store.sinceLastExport(W, [B1])).toBe('2026-01-05T00:00:00Z');
    expect(store.sinceLastExport(W, [B1, B2])).toBe('2026-01-03T00:00:00Z');
  });
});

describe('defaultStateDir', () => {
  it('follows each platform convention', () => {
    expect(defaultStateDir({ XDG_STATE_HOME: '/x/state' }, 'linux', '/home/u')).toBe(
      '/x/state/alegion-uploader',
    );
    expect(defaultStateDir({ XDG_STATE_HOME: 'relative' }, 'linux', '/home/u')).toBe(
      '/home/u/.local/state/alegion-uploader',
    );
    expect(defaultStateDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/alegion-uploader',
    );
  });
});

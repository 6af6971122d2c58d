import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CreateExportRequest,
  RecordResult,
  RecordResultExport,
  ResultQuery,
} from '../../../../common/alegion.ts';
import type { Paginated } from '../../../../main/alegion/types.ts';
import { NotFoundError } from '../../../../main/alegion/errors.ts';
import { ExportFailedError } from '../../../../main/exports/export-errors.ts';
import { ExportRunner } from '../../../../main/exports/export-runner.ts';
import type {
  DownloadedExport,
  ExportClient,
  ExportOutcome,
  ExportRunEvent,
} from '../../../../main/exports/export-runner.ts';
import { ExportStore } from '../../../../main/exports/export-store.ts';
import { toJobView } from '../../../../main/exports/job-view.ts';
import { craftZip } from '../../../fixtures/zips/crafted-zip.ts';
import { startStorage } from './local-storage.ts';
import type { Storage } from './local-storage.ts';

const W = '4cf60bf4-7092-4cfe-b7b8-e17f6674663d';
const B = 'e8a530d4-9490-424c-99ee-8cf1cc79cd54';

/** A fake of the export calls and the results count: exports become ready after the status sequence. */
class FakeExports implements ExportClient {
  created: CreateExportRequest[] = [];
  counted: ResultQuery[] = [];
  /** What counting the results answers, and what a created export reports holding. */
  resultCount = 2;
  recordResultCount = 2;
  statusSequence: string[] = ['in-progress', 'ready'];
  polls = 0;
  links = 0;
  readonly #storage: Storage;
  constructor(storage: Storage) {
    this.#storage = storage;
  }
  #view(id: string, status: string): RecordResultExport {
    return {
      id,
      status,
      filename: 'x',
      fileType: 'zip',
      recordResultCount: this.recordResultCount,
      workflowId: W,
      createdAt: `2026-01-0${this.created.length}T00:00:00Z`,
    };
  }
  async createExport(request: CreateExportRequest): Promise<RecordResultExport> {
    this.created.push(request);
    return this.#view(`export-${this.created.length}`, 'in-progress');
  }
  async getExport(exportId: string): Promise<RecordResultExport> {
    if (exportId === 'gone') throw new NotFoundError('export', exportId);
    const status = this.statusSequence[Math.min(this.polls, this.statusSequence.length - 1)] ?? 'ready';
    this.polls += 1;
    return this.#view(exportId, status);
  }
  listWorkflowResults(_workflowId: string, query: ResultQuery = {}): Paginated<RecordResult> {
    this.counted.push(query);
    const count = this.resultCount;
    return {
      count: async () => count,
      async *[Symbol.asyncIterator]() {
        // The runner only counts.
      },
    };
  }
  async getExportDownloadUrl(): Promise<string> {
    this.links += 1;
    return this.#storage.url(`l${this.links}`);
  }
}

let dir: string;
let storage: Storage;
let store: ExportStore;
let client: FakeExports;
const data = randomBytes(200_000);
const noWait = async (): Promise<void> => undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-'));
  storage = await startStorage(data);
  store = new ExportStore(join(dir, 'state', 'exports.sqlite'));
  client = new FakeExports(storage);
});

afterEach(async () => {
  store.close();
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

function runner(events: ExportRunEvent[] = [], signal?: AbortController): ExportRunner {
  return new ExportRunner({
    client,
    store,
    sleep: noWait,
    onEvent: (event) => {
      events.push(event);
      if (signal && event.type === 'download' && event.event.type === 'interrupted') signal.abort();
    },
  });
}

/** The outcome of a run that downloaded a file (fails the test otherwise). */
function downloaded(outcome: ExportOutcome): DownloadedExport {
  if (outcome.empty) throw new Error('expected a downloaded export, got one with no result');
  return outcome;
}

describe('ExportRunner', () => {
  it('creates with the filters, waits until ready, downloads, and moves the cursor', async () => {
    const events: ExportRunEvent[] = [];
    const outcome = downloaded(
      await runner(events).run({
        workflowId: W,
        batchIds: [B],
        maxCreatedAt: '2026-06-01T00:00:00Z',
        outDir: join(dir, 'out'),
      }),
    );
    expect(client.created).toEqual([
      {
        fileType: 'zip',
        filename: expect.stringMatching(/^results-4cf60bf4-\d{8}T\d{6}Z\.zip$/) as unknown as string,
        workflowId: W,
        maxCreatedAt: '2026-06-01T00:00:00Z',
        batchIds: [B],
      },
    ]);
    expect(client.polls).toBe(2);
    expect(await readFile(outcome.path)).toEqual(data);
    expect(outcome).toMatchObject({ md5: storage.md5, bytes: data.length, resumed: false });
    expect(store.getCursor(W, B)?.lastCreatedAt).toBe('2026-01-01T00:00:00Z');
    expect(events.some((e) => e.type === 'waiting' && e.status === 'in-progress')).toBe(true);
    expect(toJobView(outcome.job)).toMatchObject({
      status: 'done',
      path: outcome.path,
      totalBytes: data.length,
    });
  });

  it('asks for "since last" from the cursor of the same scope', async () => {
    await runner().run({ workflowId: W, batchIds: [B], outDir: dir });
    const second = await runner().run({ workflowId: W, batchIds: [B], sinceLast: true, outDir: dir });
    expect(client.created[1]?.minCreatedAt).toBe('2026-01-01T00:00:00Z');
    expect(second.minCreatedAt).toBe('2026-01-01T00:00:00Z');
    expect(store.getCursor(W, B)?.lastCreatedAt).toBe('2026-01-02T00:00:00Z');
  });

  it('creates no export and writes no file when no result matches; the cursor stays', async () => {
    await runner().run({ workflowId: W, batchIds: [B], outDir: join(dir, 'first') });
    const cursor = store.getCursor(W, B);
    client.resultCount = 0;
    const out = join(dir, 'empty');
    const outcome = await runner().run({ workflowId: W, batchIds: [B], sinceLast: true, outDir: out });
    expect(client.counted.at(-1)).toEqual({ batchIds: [B], minCreatedAt: '2026-01-01T00:00:00Z' });
    expect(outcome).toMatchObject({
      empty: true,
      path: undefined,
      minCreatedAt: '2026-01-01T00:00:00Z',
      cursorAt: '2026-01-01T00:00:00Z',
    });
    expect(client.created).toHaveLength(1);
    expect(client.links).toBe(1);
    expect(await readdir(out)).toEqual([]);
    expect(store.getCursor(W, B)).toEqual(cursor);
    expect(store.listInFlight()).toEqual([]);
    expect(toJobView(outcome.job)).toMatchObject({ status: 'done', recordResultCount: 0, path: null });
  });

  it('downloads nothing when the created export reports no result, and keeps the cursor', async () => {
    client.recordResultCount = 0;
    const outcome = await runner().run({ workflowId: W, sinceLast: true, outDir: dir });
    expect(client.created).toHaveLength(1);
    expect(client.polls).toBe(0);
    expect(client.links).toBe(0);
    expect(outcome).toMatchObject({ empty: true, cursorAt: undefined });
    expect(store.getCursor(W)).toBeUndefined();
    expect((await readdir(dir)).filter((name) => name.startsWith('results-'))).toEqual([]);
  });

  it('counts what a request would export with the same filters, creating nothing', async () => {
    client.resultCount = 5;
    const count = await runner().countResults({
      workflowId: W,
      batchIds: [B],
      minCreatedAt: '2026-02-01T00:00:00Z',
      maxCreatedAt: '2026-03-01T00:00:00Z',
      outDir: dir,
    });
    expect(count).toBe(5);
    expect(client.counted).toEqual([
      { batchIds: [B], minCreatedAt: '2026-02-01T00:00:00Z', maxCreatedAt: '2026-03-01T00:00:00Z' },
    ]);
    expect(client.created).toEqual([]);
    expect(store.listRecent()).toEqual([]);
  });

  it('resumes the same export from its .part when the same request is run again', async () => {
    storage.cuts.push(80_000);
    const controller = new AbortController();
    const first = runner([], controller).run({ workflowId: W, outDir: dir }, controller.signal);
    await expect(first).rejects.toMatchObject({ code: 'canceled' });
    const [job] = store.listInFlight();
    expect(job).toMatchObject({ status: 'downloading', bytes: 80_000, etag: storage.md5 });
    expect(existsSync(job?.partPath ?? '')).toBe(true);

    const second = downloaded(await runner().run({ workflowId: W, outDir: dir }));
    expect(second.resumed).toBe(true);
    expect(second.job.jobId).toBe(job?.jobId);
    expect(client.created).toHaveLength(1);
    expect(storage.requests.at(-1)?.headers.range).toBe('bytes=80000-');
    expect(await readFile(second.path)).toEqual(data);
    expect(store.listInFlight()).toEqual([]);
  });

  it('reports a failed export clearly and does not leave it resumable', async () => {
    client.statusSequence = ['in-progress', 'failed'];
    const attempt = runner().run({ workflowId: W, outDir: dir });
    await expect(attempt).rejects.toBeInstanceOf(ExportFailedError);
    await expect(attempt).rejects.toThrow(/ended with status "failed" on the server/);
    expect(store.listInFlight()).toEqual([]);
    expect(store.listRecent()[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/failed/) as unknown,
    });
  });

  it('resume() after a restart picks a job up from its recorded step', async () => {
    const job = store.insertJob({
      jobId: 'j1',
      workflowId: W,
      batchIds: [],
      fileType: 'zip',
      filename: 'left.zip',
      minCreatedAt: undefined,
      maxCreatedAt: undefined,
      fingerprint: 'f',
      targetPath: join(dir, 'left.zip'),
      partPath: join(dir, 'left.zip.part'),
      extract: false,
    });
    store.setExport(job.jobId, 'export-9', '2026-01-09T00:00:00Z', 2);
    const outcomes = await runner().resumeAll();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled' });
    expect(client.created).toHaveLength(0);
    expect(await readFile(join(dir, 'left.zip'))).toEqual(data);
    expect(store.getCursor(W)?.exportId).toBe('export-9');
  });

  it('marks a job whose export vanished as failed', async () => {
    const job = store.insertJob({
      jobId: 'j2',
      workflowId: W,
      batchIds: [],
      fileType: 'zip',
      filename: 'gone.zip',
      minCreatedAt: undefined,
      maxCreatedAt: undefined,
      fingerprint: 'g',
      targetPath: join(dir, 'gone.zip'),
      partPath: join(dir, 'gone.zip.part'),
      extract: false,
    });
    store.setExport(job.jobId, 'gone', '2026-01-09T00:00:00Z', 2);
    await expect(runner().resume('j2')).rejects.toThrow(/not found/);
    expect(store.getJob('j2')?.status).toBe('failed');
  });

  it('refuses to extract a crafted archive (../ and absolute entries): job failed, nothing written outside', async () => {
    const outside = join(dir, 'outside.txt');
    const zipPath = join(dir, 'out', 'hostile.zip');
    await rm(join(dir, 'out'), { recursive: true, force: true });
    await mkdir(join(dir, 'out'));
    await writeFile(
      zipPath,
      await craftZip([
        { name: 'r1/ok.json', content: '{}' },
        { name: '../../escaped.txt', content: 'pwned' },
        { name: outside, content: 'pwned' },
      ]),
    );
    const job = store.insertJob({
      jobId: 'j3',
      workflowId: W,
      batchIds: [],
      fileType: 'zip',
      filename: 'hostile.zip',
      minCreatedAt: undefined,
      maxCreatedAt: undefined,
      fingerprint: 'h',
      targetPath: zipPath,
      partPath: `${zipPath}.part`,
      extract: true,
    });
    store.setExport(job.jobId, 'export-h', '2026-01-09T00:00:00Z', 2);
    store.setStatus(job.jobId, 'extracting');
    await expect(runner().resume('j3')).rejects.toThrow(/entry "\.\.\/\.\.\/escaped.txt" climbs out/);
    expect(store.getJob('j3')).toMatchObject({ status: 'failed' });
    expect(store.getCursor(W)).toBeUndefined();
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(join(dir, 'escaped.txt'))).toBe(false);
    expect(await readdir(join(dir, 'out'))).toEqual(['hostile.zip']);
  });

  it('finishes a job that was killed right after its extracted folder was renamed into place', async () => {
    const zipPath = join(dir, 'out2', 'done.zip');
    await mkdir(join(dir, 'out2', 'done', 'r1'), { recursive: true });
    await writeFile(join(dir, 'out2', 'done', 'r1', 'a.json'), '{}');
    await writeFile(zipPath, await craftZip([{ name: 'r1/a.json', content: '{}' }]));
    store.insertJob({
      jobId: 'j4',
      workflowId: W,
      batchIds: [],
      fileType: 'zip',
      filename: 'done.zip',
      minCreatedAt: undefined,
      maxCreatedAt: undefined,
      fingerprint: 'd',
      targetPath: zipPath,
      partPath: `${zipPath}.part`,
      extract: true,
    });
    store.setExport('j4', 'export-d', '2026-01-09T00:00:00Z', 1);
    store.setStatus('j4', 'extracting');
    const outcome = downloaded(await runner().resume('j4'));
    expect(outcome.extractedTo).toBe(join(dir, 'out2', 'done'));
    expect(store.getJob('j4')).toMatchObject({ status: 'done', extractedTo: join(dir, 'out2', 'done') });
    expect(store.getCursor(W)?.exportId).toBe('export-d');
  });
});

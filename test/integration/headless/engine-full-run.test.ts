/**
 * A full run through the engine against the sandbox (profile saved with a key and password, connection, a folder
 * scanned and queued into a new batch, uploads done, the batch tracked to done, an export downloaded), then the
 * secrets check: no file the app wrote (settings, logs, journal, export store) holds the API key or the password.
 */
import { cp, mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlegionEvents, Completion, ExportJobView, ScanSummary } from '../../../common/api.ts';
import { runHeadless } from '../../../main/host/headless/run.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { until } from '../../support/until.ts';

const API_KEY = 'full-run-key-7f3a9c2e5b1d';
const PASSWORD = 'full-run-password-q8w7e6';
const sandbox = useSandbox({
  apiKey: API_KEY,
  username: 'ops',
  password: PASSWORD,
  taskSeconds: 0,
  exceptionRate: 0,
  seed: 3,
});

let dir: string;
let stateDir: string;
let running: Awaited<ReturnType<typeof runHeadless>>;

/** Resolves with the first event of a kind that satisfies `match`. */
function nextEvent<E extends keyof AlegionEvents>(
  event: E,
  match: (payload: AlegionEvents[E]) => boolean,
): Promise<AlegionEvents[E]> {
  return new Promise((resolve) => {
    const off = running.engine.events.on(event, (payload) => {
      if (match(payload)) {
        off();
        resolve(payload);
      }
    });
  });
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-full-run-'));
  stateDir = join(dir, 'state');
  const rendererDir = join(dir, 'renderer');
  await mkdir(stateDir);
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const images = join(dir, 'images');
  await mkdir(images);
  for (const name of ['image-16x12.png', 'image-16x12.jpg', 'image-16x12.gif', 'image-16x12.webp']) {
    await cp(join('test/fixtures/media', name), join(images, name));
  }
  await writeFile(join(images, 'notes.xyz'), 'not an image');
  running = await runHeadless({ stateDir, appVersion: '0.0.0-test', rendererDir, roots: [dir] });
  await running.engine.updateSettings({ downloadDir: join(dir, 'downloads') });
});

afterAll(async () => {
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a full run through the engine', () => {
  it('connects, uploads a folder into a new batch, sees the batch done and downloads its export', async () => {
    const engine = running.engine;
    const wrong = await engine.testConnection({
      name: 'Ops',
      apiUrl: sandbox().baseUrl,
      username: 'ops',
      apiKey: 'nope-wrong-key',
      password: PASSWORD,
    });
    expect(wrong).toMatchObject({ ok: false, code: 'api-key-rejected' });
    const right = await engine.testConnection({
      name: 'Ops',
      apiUrl: sandbox().baseUrl,
      username: 'ops',
      apiKey: API_KEY,
      password: PASSWORD,
    });
    expect(right).toMatchObject({ ok: true, workflowCount: 4 });

    const profile = await engine.saveProfile({
      name: 'Ops',
      apiUrl: sandbox().baseUrl,
      username: 'ops',
      apiKey: API_KEY,
      password: PASSWORD,
    });
    expect(profile.apiKeyHint).toBe('••••1b1d'.replace('1b1d', API_KEY.slice(-4)));
    expect(JSON.stringify(await engine.listProfiles())).not.toContain(API_KEY);
    await expect(engine.connect(profile.id)).resolves.toMatchObject({ status: 'connected' });

    const workflowId = SANDBOX_WORKFLOWS.image;
    const scanDone = nextEvent('scanProgress', (s: ScanSummary) => s.complete);
    const scan = await engine.scanPaths({ paths: [join(dir, 'images')], workflowId });
    const summary = await scanDone;
    expect(summary).toMatchObject({ scanId: scan.scanId, files: 4, skippedCount: 1 });
    expect(summary.byKind.image.files).toBe(4);

    const queued = await engine.queueScan({
      scanId: scan.scanId,
      target: { workflowId, newBatch: { name: 'full run', isEnabled: true } },
    });
    // The files the scan counted are queued, and the one it left out is listed as skipped with its reason.
    expect(queued).toEqual({ queued: 4, skipped: 1 });
    const totals = await until(
      () => engine.getQueueTotals(),
      (t) => t.files.waiting + t.files.active === 0 && t.files.total === 5,
      'uploads to finish',
    );
    expect(totals.files.done).toBe(4);

    const page = await engine.listQueue({ groups: ['done'] });
    expect(page.total).toBe(4);
    const batchId = page.items[0]!.batchId!;
    const completion = await until(
      () => engine.trackBatch(workflowId, batchId),
      (c: Completion) => c.done,
      'the batch to be done',
    );
    expect(completion).toMatchObject({ records: 4, results: 4, final: 4 });

    const job = await engine.startExport({ workflowId, batchIds: [batchId], format: 'json' });
    const finished = await until(
      async () => (await engine.listExports()).find((j) => j.id === job.id)!,
      (j: ExportJobView) => j.status === 'done' || j.status === 'failed',
      'the export',
    );
    expect(finished.status).toBe('done');
    expect((await stat(finished.path!)).size).toBeGreaterThan(0);

    const diagnostics = JSON.stringify(await engine.getDiagnostics());
    expect(diagnostics).not.toContain(API_KEY);
    expect(diagnostics).not.toContain(PASSWORD);
  });

  it('left no API key or password in plain text in any file it wrote (settings, logs, journal, exports)', async () => {
    // A failing call with the key in its message must be redacted too, in the log and in diagnostics.
    await running.engine.testConnection({
      name: 'x',
      apiUrl: 'http://127.0.0.1:1/v1',
      username: 'ops',
      apiKey: API_KEY,
      password: PASSWORD,
    });
    const files = await filesUnder(stateDir);
    expect(files.some((f) => f.endsWith('settings.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('app.log'))).toBe(true);
    expect(files.some((f) => f.endsWith('uploads.sqlite'))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      expect(bytes.includes(API_KEY), `${file} holds the API key`).toBe(false);
      expect(bytes.includes(PASSWORD), `${file} holds the password`).toBe(false);
      expect(bytes.includes(Buffer.from(API_KEY, 'utf16le')), `${file} holds the API key`).toBe(false);
    }
  });
});

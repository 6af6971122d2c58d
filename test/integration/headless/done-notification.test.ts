/**
 * The engine's own notification when a batch becomes done (the Electron host shows it natively; the headless host
 * writes it to its log): once, naming the batch, with totals that account for every file sent; none when
 * notifications are off in the settings.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/create-engine.ts';
import type { runHeadless } from '../../../main/host/headless/run.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runTestHost } from './socket-client.ts';

const IMAGES = ['image-16x12.png', 'image-16x12.jpg', 'image-16x12.gif', 'image-16x12.webp'];
// Fast labelers that leave exceptions unresolved or cancel them, never restart them: a done batch stays done.
const sandbox = useSandbox({
  taskSeconds: 0.2,
  exceptionRate: 0.9,
  cancelRate: 1,
  unresolvedExceptionRate: 0.5,
  seed: 7,
});

let dir: string;
let running: Awaited<ReturnType<typeof runHeadless>>;
const logLines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-done-notification-'));
  running = await runTestHost(dir, { roots: [dir], log: (line) => logLines.push(line) });
  const { options, baseUrl } = sandbox();
  const profile = await running.engine.saveProfile({
    name: 'Ops',
    apiUrl: baseUrl,
    username: options.username,
    apiKey: options.apiKey,
    password: options.password,
  });
  await running.engine.connect(profile.id);
});

afterAll(async () => {
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Polls `read` until `ok` holds (60 s at most). */
async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Uploads the four fixture images into a new batch, tracks it as the app does, and waits until it is done. */
async function uploadUntilDone(engine: Engine, name: string): Promise<void> {
  const folder = join(dir, name);
  await mkdir(folder);
  for (const image of IMAGES) await cp(join('test/fixtures/media', image), join(folder, image));
  const workflowId = SANDBOX_WORKFLOWS.image;
  const scan = await engine.scanPaths({ paths: [folder], workflowId });
  await until(
    () => engine.getScan(scan.scanId),
    (s) => s.complete,
    'the scan',
  );
  await engine.queueScan({
    scanId: scan.scanId,
    target: { workflowId, newBatch: { name, isEnabled: true } },
  });
  const batch = await until(
    async () => (await engine.listBatches(workflowId)).find((b) => b.name === name),
    (b) => b !== undefined,
    `batch ${name}`,
  );
  await until(
    () => engine.trackBatch(workflowId, batch?.id ?? ''),
    (c) => c.done,
    `batch ${name} to be done`,
  );
}

describe('the engine notification of a batch done', () => {
  it('names the batch once, with totals that account for every file, and none while notifications are off', async () => {
    await running.engine.updateSettings({ notifications: false });
    await uploadUntilDone(running.engine, 'Shelf south');
    await running.engine.updateSettings({ notifications: true });
    await uploadUntilDone(running.engine, 'Shelf north');
    const lines = await until(
      () => logLines.filter((line) => line.startsWith('Shelf north is done: ')),
      (found) => found.length > 0,
      'the notification',
    );
    expect(lines).toHaveLength(1);
    const match = /is done: (\d+) results?, (\d+) exceptions?, (\d+) canceled\.$/.exec(lines[0] ?? '');
    expect(match, lines[0]).not.toBeNull();
    const [results, exceptions, canceled] = (match ?? []).slice(1).map(Number) as [number, number, number];
    expect(results + exceptions + canceled).toBe(IMAGES.length);
    const batches = Object.values(sandbox().stats().recordsByBatch);
    const statuses = batches[batches.length - 1] ?? {};
    expect(results).toBe(statuses.complete ?? 0);
    expect(exceptions + canceled).toBe((statuses.exception ?? 0) + (statuses.canceled ?? 0));
    // The south batch was done long before the north one was: its notification, had there been one, came first.
    expect(logLines.filter((line) => line.includes(' is done: '))).toEqual(lines);
  });
});

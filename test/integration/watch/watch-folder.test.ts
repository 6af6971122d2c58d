/**
 * `watch` against the sandbox: 200 files written slowly into a watched folder (each over about 3 s, in chunks),
 * some while the sandbox is offline, some while the watcher is stopped, some still being written as it starts
 * again. It ends with 200 assets and 200 records, no duplicate, and the bytes the sandbox stored are the final
 * files' bytes (MD5 of every stored file against MD5 of every final file): nothing went out before it was complete.
 * A second test changes an uploaded file: it is reported and not sent again, unless --reupload.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS, startSandbox } from '../../../sandbox/server.ts';
import type { RunningSandbox } from '../../../sandbox/server.ts';
import { CLI, sandboxEnv } from '../uploads/helpers.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHUNKS = 6;
const CHUNK_BYTES = 8 * 1024;
/** Between two chunks of one file: well below the settle time, so a file is never complete before its last one. */
const CHUNK_GAP_MS = 550;
const SETTLE_SECONDS = 1.5;

let sandbox: RunningSandbox;
let dataDir: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'alegion-watch-sandbox-'));
  sandbox = await startSandbox({ dataDir, port: 0, labelers: false, seed: 7, faults: { latencyMs: 10 } });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** Writes a PNG-looking file of random bytes in chunks, CHUNK_GAP_MS apart (about 3 s for the whole file). */
async function writeSlowly(path: string): Promise<void> {
  const first = randomBytes(CHUNK_BYTES);
  PNG_SIGNATURE.copy(first, 0);
  await writeFile(path, first);
  for (let i = 1; i < CHUNKS; i++) {
    await sleep(CHUNK_GAP_MS);
    await appendFile(path, randomBytes(CHUNK_BYTES));
  }
}

const fileName = (i: number) => `shot-${String(i).padStart(3, '0')}.png`;

/** Writes files `from`..`to-1` concurrently, each slowly. */
function writeRange(folder: string, from: number, to: number): Promise<void> {
  const writes: Promise<void>[] = [];
  for (let i = from; i < to; i++) writes.push(writeSlowly(join(folder, fileName(i))));
  return Promise.all(writes).then(() => {});
}

interface Watcher {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `watch` and resolves once it says it is watching (bounded: it rejects after 30 s). */
async function startWatcher(folder: string, stateDir: string, extra: string[] = []): Promise<Watcher> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'watch',
      folder,
      '--workflow',
      SANDBOX_WORKFLOWS.image,
      '--new-batch',
      'watched',
      '--settle',
      String(SETTLE_SECONDS),
      '--state-dir',
      stateDir,
      ...extra,
    ],
    { env: sandboxEnv(sandbox), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!output.includes('watching ')) {
    if (child.exitCode !== null) throw new Error(`watch exited early (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`watch did not start within 30 s:\n${output}`);
    await sleep(50);
  }
  return {
    child,
    output: () => output,
    async stop() {
      child.kill('SIGINT');
      const code = await Promise.race([exited, sleep(20_000).then(() => 'timeout' as const)]);
      children.delete(child);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`watch did not stop within 20 s of Ctrl+C:\n${output}`);
      }
      return code;
    },
  };
}

async function until(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  watcher?: Watcher,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      const output = watcher ? `\nwatch said:\n${watcher.output()}` : '';
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(sandbox.stats())}${output}`);
    }
    await sleep(200);
  }
}

/** MD5 of every asset file the sandbox stored (finished uploads only, not `.part` files). */
function storedMd5s(): string[] {
  const dir = join(dataDir, 'assets');
  return readdirSync(dir)
    .filter((name) => !name.endsWith('.part'))
    .map((name) => md5(readFileSync(join(dir, name))))
    .sort();
}

describe('watch folders', () => {
  it('uploads 200 slowly written files exactly once, through an offline spell and a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'alegion-watch-'));
    const folder = join(root, 'incoming');
    const stateDir = join(root, 'state');
    mkdirSync(folder);
    mkdirSync(join(folder, 'camera-2'));
    try {
      // Files already there before the first start are picked up too.
      await writeRange(folder, 0, 20);
      let watcher = await startWatcher(folder, stateDir);
      await writeRange(folder, 20, 70);

      // Offline: files go on appearing and are queued; nothing reaches the platform until it is back.
      sandbox.setFaults({ offline: true });
      await writeRange(folder, 70, 120);
      await sleep(2000);
      sandbox.setFaults({ offline: false });

      // Stopped: files written meanwhile, and some still being written when it starts again.
      expect(await watcher.stop()).toBe(0);
      const firstRun = watcher.output();
      await writeRange(join(folder, 'camera-2'), 120, 170);
      const lateWrites = writeRange(join(folder, 'camera-2'), 170, 200);
      await sleep(1000);
      watcher = await startWatcher(folder, stateDir);
      await lateWrites;

      await until('200 records', () => sandbox.stats().records >= 200, 90_000);
      // A little longer: anything sent twice would show now.
      await sleep(2000);
      expect(await watcher.stop()).toBe(0);

      const stats = sandbox.stats();
      expect(stats.assets).toBe(200);
      expect(stats.records).toBe(200);
      expect(stats.duplicateAssets).toBe(0);
      expect(stats.duplicateRecords).toBe(0);
      const finals: string[] = [];
      for (let i = 0; i < 200; i++) {
        const dir = i < 120 ? folder : join(folder, 'camera-2');
        finals.push(md5(readFileSync(join(dir, fileName(i)))));
      }
      expect(storedMd5s()).toEqual(finals.sort());
      expect(firstRun).toMatch(/queued \d+ files?/);
      expect(watcher.output()).not.toMatch(/^failed /m);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports a file changed after its upload instead of sending it again; --reupload sends it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'alegion-watch-change-'));
    const folder = join(root, 'incoming');
    const stateDir = join(root, 'state');
    mkdirSync(folder);
    try {
      const before = sandbox.stats().assets;
      await writeRange(folder, 0, 3);
      let watcher = await startWatcher(folder, stateDir);
      await until('3 uploads', () => (watcher.output().match(/^uploaded /gm) ?? []).length >= 3, 30_000);

      await appendFile(join(folder, fileName(1)), randomBytes(100));
      await until('the report', () => watcher.output().includes('changed after its upload'), 20_000, watcher);
      await sleep(1000);
      expect(sandbox.stats().assets - before).toBe(3);
      expect(watcher.output()).toContain(fileName(1));
      // Started again, it reports the same change, and still sends nothing.
      expect(await watcher.stop()).toBe(0);
      watcher = await startWatcher(folder, stateDir);
      await until(
        'the report again',
        () => watcher.output().includes('changed after its upload'),
        20_000,
        watcher,
      );
      expect(sandbox.stats().assets - before).toBe(3);
      expect(await watcher.stop()).toBe(0);

      watcher = await startWatcher(folder, stateDir, ['--reupload']);
      await until('the new version', () => /^uploaded .*shot-001/m.test(watcher.output()), 30_000);
      expect(sandbox.stats().assets - before).toBe(4);
      expect(storedMd5s()).toContain(md5(readFileSync(join(folder, fileName(1)))));
      expect(await watcher.stop()).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

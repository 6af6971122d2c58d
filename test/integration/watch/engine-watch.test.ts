/**
 * Watched folders through the engine, as the app and the headless host use them: "Watch this folder…" through the
 * contract's dispatch (arguments validated), files queued once complete, the list with its counts and events, the
 * watch kept across a restart of the engine (files written meanwhile are picked up), and Stop.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchedFolderView } from '../../../common/api.ts';
import { createEngine } from '../../../main/engine/create-engine.ts';
import type { Engine } from '../../../main/engine/create-engine.ts';
import { dispatch } from '../../../main/engine/dispatch.ts';
import type { SecretStorePort } from '../../../main/engine/ports.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { connectToSandbox, testEnginePorts } from '../../support/engine-ports.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox({ labelers: false, seed: 11 });
let dir: string;
const settings = new Map<string, unknown>();
const secretValues = new Map<string, string>();
// Secrets kept across the two engines of the test, as a keychain keeps them across restarts.
const secrets: SecretStorePort = {
  persisted: true,
  reason: null,
  get: async (name) => secretValues.get(name),
  set: async (name, value) => void secretValues.set(name, value),
  delete: async (name) => void secretValues.delete(name),
};

function openEngine(): Promise<Engine> {
  return createEngine(
    testEnginePorts(dir, { settings, secrets, runner: { retryBaseMs: 50, retryMaxMs: 200, lingerMs: 100 } }),
  );
}

async function writeImages(folder: string, names: string[]): Promise<void> {
  for (const name of names) {
    const body = randomBytes(4096);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(body, 0);
    await writeFile(join(folder, name), body);
  }
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(sandbox().stats())}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alegion-engine-watch-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('watched folders in the engine', () => {
  it('watches a folder, keeps the watch across a restart, picks up what arrived meanwhile, and stops', async () => {
    const folder = join(dir, 'drop');
    await mkdir(folder);
    let engine = await openEngine();
    try {
      expect(await connectToSandbox(engine, sandbox())).toBe('connected');

      // Through the contract, as a renderer calls it: a file is refused as a folder, with a sentence.
      const notFolder = join(dir, 'not-a-folder.txt');
      await writeFile(notFolder, 'x');
      const refused = await dispatch(engine, 'watchFolder', [
        {
          folder: notFolder,
          target: { workflowId: SANDBOX_WORKFLOWS.image, newBatch: { name: 'w', isEnabled: false } },
        },
      ]);
      expect(refused).toEqual({
        ok: false,
        error: { code: 'not-a-folder', message: `${notFolder} is a file, not a folder.` },
      });

      const events: WatchedFolderView[][] = [];
      engine.events.on('watchedFoldersChanged', (views) => events.push(views));
      const added = await dispatch(engine, 'watchFolder', [
        {
          folder,
          target: { workflowId: SANDBOX_WORKFLOWS.image, newBatch: { name: 'drop', isEnabled: false } },
          settleSeconds: 0.3,
        },
      ]);
      expect(added.ok).toBe(true);
      const view = (added as { value: WatchedFolderView }).value;
      expect(view).toMatchObject({
        folder,
        status: 'watching',
        settleSeconds: 0.3,
        reupload: false,
        polling: false,
      });

      await writeImages(folder, ['a.png', 'b.png', 'c.png']);
      await until('3 records', () => sandbox().stats().records === 3);
      await until(
        'the count in the list',
        async () => (await engine.listWatchedFolders())[0]?.filesQueued === 3,
      );
      expect(events.some((list) => list[0]?.filesQueued === 3)).toBe(true);
      await engine.close();

      // Written while the app is closed: found when it starts again (the watch and the profile were kept).
      await writeImages(folder, ['d.png', 'e.png']);
      engine = await openEngine();
      await until('5 records', () => sandbox().stats().records === 5);
      const [again] = await engine.listWatchedFolders();
      expect(again).toMatchObject({ id: view.id, status: 'watching' });
      expect(sandbox().stats()).toMatchObject({ assets: 5, duplicateAssets: 0, duplicateRecords: 0 });

      await engine.stopWatching(view.id);
      expect(await engine.listWatchedFolders()).toEqual([]);
      await writeImages(folder, ['f.png']);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(sandbox().stats().assets).toBe(5);
    } finally {
      await engine.close();
    }
  });
});

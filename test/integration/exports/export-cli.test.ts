/**
 * The `export` command as a user runs it, against the sandbox: a run killed with SIGKILL mid-download resumes
 * from its `.part` file when rerun, `--since-last` fetches only results created after the previous export (and
 * downloads nothing when there are none), and the text progress ends with one line holding the average speed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosableAlegionClient } from '../../../main/alegion/client.ts';
import { collect } from '../../../main/alegion/pagination.ts';
import { formatBytes } from '../../../common/byte-size.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { FAST_LABELERS, sandboxClient, useSandbox } from '../../support/sandbox.ts';
import { createFinishedBatch } from './finished-batch.ts';

const sandbox = useSandbox(FAST_LABELERS);
const WORKFLOW = SANDBOX_WORKFLOWS.image;
const CLI = resolve(import.meta.dirname, '../../../main/host/cli.ts');

let client: ClosableAlegionClient;
let dir: string;

beforeAll(async () => {
  client = sandboxClient(sandbox());
  dir = await mkdtemp(join(tmpdir(), 'export-cli-'));
});

afterAll(async () => {
  client.close();
  await rm(dir, { recursive: true, force: true });
});

type JsonEvent = Record<string, unknown> & { event: string };

/**
 * Starts the CLI with the sandbox's credentials in the environment; `onEvent` sees each NDJSON line. With
 * `text`, it runs without --json (as a person would, output not a TTY) and stdout is collected as text.
 */
function startCli(
  args: string[],
  onEvent: (event: JsonEvent, child: ChildProcess) => void = () => undefined,
  text = false,
): {
  child: ChildProcess;
  exit: Promise<{
    code: number | null;
    signal: string | null;
    events: JsonEvent[];
    stderr: string;
    stdout: string;
  }>;
} {
  const sb = sandbox();
  const child = spawn(process.execPath, [CLI, 'export', ...(text ? [] : ['--json']), ...args], {
    env: {
      ...process.env,
      ALEGION_API_URL: sb.baseUrl,
      ALEGION_API_KEY: sb.options.apiKey,
      ALEGION_USERNAME: sb.options.username,
      ALEGION_PASSWORD: sb.options.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: JsonEvent[] = [];
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    stdout += `${line}\n`;
    if (text) return;
    const event = JSON.parse(line) as JsonEvent;
    events.push(event);
    onEvent(event, child);
  });
  const exit = new Promise<{
    code: number | null;
    signal: string | null;
    events: JsonEvent[];
    stderr: string;
    stdout: string;
  }>((resolveExit) =>
    child.on('close', (code, signal) => resolveExit({ code, signal, events, stderr, stdout })),
  );
  return { child, exit };
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

describe('export CLI', () => {
  it('resumes from the .part file after being killed mid-download', async () => {
    const sb = sandbox();
    const batch = await createFinishedBatch(client, WORKFLOW, { count: 6, size: 60_000 });
    const out = join(dir, 'restart');
    const state = join(dir, 'restart-state');
    const args = ['--workflow', WORKFLOW, '--batch', batch.batchId, '--out', out, '--state-dir', state];

    // Slow the download down (short cuts, each followed by a fresh redirect, with latency) so the kill lands mid-way.
    sb.setFaults({ downloadCutRate: 1, downloadCutAfterBytes: 32 * 1024, latencyMs: 100 });
    let killedAt = 0;
    const first = startCli(args, (event, child) => {
      if (event.event === 'progress' && (event.bytes as number) > 0 && killedAt === 0) {
        killedAt = event.bytes as number;
        child.kill('SIGKILL');
      }
    });
    const killed = await first.exit;
    sb.setFaults({ downloadCutRate: 0, latencyMs: 0 });
    expect(killed.signal).toBe('SIGKILL');
    // The killed run left its .part (and the lock of a process that is gone), never a file with the final name.
    const files = (await readdir(out)).filter((name) => !name.endsWith('.lock'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.zip\.part$/);
    const partSize = (await stat(join(out, files[0] as string))).size;
    expect(partSize).toBeGreaterThanOrEqual(killedAt);

    const exportsBefore = sb.stats().exports;
    const before = sb.stats().downloads;
    const rerun = await startCli(args).exit;
    expect(rerun.code, rerun.stderr).toBe(0);
    const done = rerun.events.at(-1) as JsonEvent;
    expect(done).toMatchObject({ event: 'done', resumed: true });
    const after = sb.stats().downloads;
    // The same export was continued: nothing new created, one Range request, only the remainder served.
    expect(sb.stats().exports).toBe(exportsBefore);
    expect(after.requests - before.requests).toBe(1);
    expect(after.rangeRequests - before.rangeRequests).toBe(1);
    expect(after.bytesServed - before.bytesServed).toBe((done.bytes as number) - partSize);
    expect(rerun.events.find((e) => e.event === 'start')).toMatchObject({ fromBytes: partSize });
    const written = await readFile(done.path as string);
    expect(md5(written)).toBe(done.md5);
    expect(await readdir(out)).toEqual([(done.path as string).split('/').at(-1)]);
  });

  it('--since-last exports only the results created after the previous export', async () => {
    const out = join(dir, 'since');
    const state = join(dir, 'since-state');
    const args = [
      '--workflow',
      WORKFLOW,
      '--format',
      'json',
      '--since-last',
      '--out',
      out,
      '--state-dir',
      state,
    ];
    const idsIn = async (path: string): Promise<string[]> =>
      (JSON.parse(gunzipSync(await readFile(path)).toString('utf8')) as { id: string }[])
        .map((r) => r.id)
        .sort();

    await createFinishedBatch(client, WORKFLOW, { count: 2 });
    const first = await startCli(args).exit;
    expect(first.code, first.stderr).toBe(0);
    const firstDone = first.events.at(-1) as JsonEvent;
    expect(firstDone.minCreatedAt).toBeNull();
    const firstIds = await idsIn(firstDone.path as string);
    const everything = (await collect(client.listWorkflowResults(WORKFLOW))).map((r) => r.id).sort();
    expect(firstIds).toEqual(everything);

    const newer = await createFinishedBatch(client, WORKFLOW, { count: 3 });
    const second = await startCli(args).exit;
    expect(second.code, second.stderr).toBe(0);
    const secondDone = second.events.at(-1) as JsonEvent;
    expect(secondDone.minCreatedAt).toBe(firstDone.nextSinceLast);
    const newerIds = (await collect(client.listBatchResults(newer.batchId))).map((r) => r.id).sort();
    expect(await idsIn(secondDone.path as string)).toEqual(newerIds);

    // Nothing new since: no export is created, no file written, the cursor stays; exit 0 all the same.
    const sb = sandbox();
    const filesBefore = (await readdir(out)).sort();
    const exportsBefore = sb.stats().exports;
    const quiet = await startCli(args, undefined, true).exit;
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toContain(
      `no new results since ${secondDone.nextSinceLast as string}; nothing to download`,
    );
    const quietJson = await startCli(args).exit;
    expect(quietJson.code, quietJson.stderr).toBe(0);
    expect(quietJson.events.at(-1)).toMatchObject({
      event: 'done',
      empty: true,
      path: null,
      recordResultCount: 0,
      minCreatedAt: secondDone.nextSinceLast,
      nextSinceLast: secondDone.nextSinceLast,
    });
    expect(sb.stats().exports).toBe(exportsBefore);
    expect((await readdir(out)).sort()).toEqual(filesBefore);

    // The cursor did not move: results that arrive later are still fetched by the next run.
    const latest = await createFinishedBatch(client, WORKFLOW, { count: 1 });
    const third = await startCli(args).exit;
    expect(third.code, third.stderr).toBe(0);
    const thirdDone = third.events.at(-1) as JsonEvent;
    expect(thirdDone).toMatchObject({ empty: false, minCreatedAt: secondDone.nextSinceLast });
    const latestIds = (await collect(client.listBatchResults(latest.batchId))).map((r) => r.id).sort();
    expect(await idsIn(thirdDone.path as string)).toEqual(latestIds);
  });

  it('prints the final progress line once, with the average throughput and no ETA', async () => {
    const batch = await createFinishedBatch(client, WORKFLOW, { count: 3, size: 40_000 });
    const out = join(dir, 'text');
    const args = [
      '--workflow',
      WORKFLOW,
      '--batch',
      batch.batchId,
      '--out',
      out,
      '--state-dir',
      join(dir, 'text-state'),
    ];
    const run = await startCli(args, undefined, true).exit;
    expect(run.code, run.stderr).toBe(0);
    const path = run.stdout.trim();
    expect(await readdir(out)).toEqual([path.split('/').at(-1)]);
    const lines = run.stderr.split('\n');
    const final = lines.filter((line) => line.includes('(100%)'));
    expect(final).toHaveLength(1);
    const size = (await stat(path)).size;
    expect(final[0]).toMatch(/^downloaded (\S+ \S+) of \1 \(100%\), \S+ \S+\/s average$/);
    expect(final[0]).toContain(`of ${formatBytes(size)} (100%)`);
    expect(run.stderr).not.toMatch(/ETA \?|, 0 B\/s/);
  });
});

/**
 * Scenario S, many small files: N JPEG images of 64 KiB into one new batch, input records included, by the
 * tutorial's curl (sequential and `xargs -P 8`), by the engine's CLI from a fresh state dir, and by the floor
 * client (same requests, keep-alive, the engine's concurrency, nothing else).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SANDBOX_WORKFLOWS } from '../../sandbox/seed.ts';
import type { BenchContext } from '../context.ts';
import { CLI, cliHasCommand, cliPhases, engineNodeFlags, runContender, sandboxEnv } from '../context.ts';
import { makeImages, writeList } from '../data.ts';
import { ENGINE_CONCURRENCY } from '../engine-defaults.ts';
import type { ContenderResult, ScenarioResult } from '../results.ts';
import { okResult, ratio, skipped, target } from '../results.ts';
import type { SandboxProcess } from '../sandbox-process.ts';
import { connectSetupApi } from '../setup-api.ts';
import { withSandbox } from './with-sandbox.ts';

const CURL_SCRIPT = fileURLToPath(new URL('../curl/tutorial-upload.sh', import.meta.url));
const FLOOR = fileURLToPath(new URL('../floor-upload.ts', import.meta.url));
const PARALLEL_CURL = 8;

/** Runs scenario S. */
export async function runSmallFiles(ctx: BenchContext): Promise<ScenarioResult> {
  const { smallFiles: count, smallFileBytes: size } = ctx.sizes;
  const dir = join(ctx.tmp, 'S');
  ctx.log(`S: writing ${count} images of ${size / 1024} KiB`);
  const images = await makeImages(join(dir, 'images'), count, size);
  const list = join(dir, 'files.txt');
  writeList(list, images);
  const bytes = count * size;
  const workflow = SANDBOX_WORKFLOWS.image;

  const contenders = await withSandbox(ctx, dir, { labelers: false }, async (sandbox) => {
    const api = await connectSetupApi(sandbox.baseUrl, sandbox.origin);
    const expectRecords = async (batchId: string | null): Promise<string> => {
      if (!batchId) throw new Error('the batch was not found');
      const records = await api.recordCount(batchId);
      if (records !== count) throw new Error(`the batch holds ${records} records, expected ${count}`);
      return `${records} records in the batch`;
    };
    const lastLine = (stdout: string): string => stdout.trim().split('\n').at(-1) ?? '';
    const curl = (contender: 'seq-curl' | 'par-curl', parallel: number): Promise<ContenderResult> =>
      runContender(ctx, 'S', sandbox, {
        contender,
        command: 'bash',
        args: [CURL_SCRIPT, list],
        env: sandboxEnv(sandbox, {
          WORKFLOW_ID: workflow,
          BATCH_NAME: `bench ${contender}`,
          ASSET_TYPE: 'image',
          PARALLEL: String(parallel),
        }),
        bytes,
        files: count,
        verify: (stdout) => expectRecords(lastLine(stdout)),
      });
    const results: ContenderResult[] = [];
    results.push(
      await runContender(ctx, 'S', sandbox, {
        contender: 'floor',
        command: process.execPath,
        args: [
          FLOOR,
          '--list',
          list,
          '--workflow',
          workflow,
          '--batch-name',
          'bench floor',
          '--api-concurrency',
          String(ENGINE_CONCURRENCY.api),
          '--put-concurrency',
          String(ENGINE_CONCURRENCY.put),
        ],
        env: sandboxEnv(sandbox),
        bytes,
        files: count,
        verify: (stdout) => expectRecords((JSON.parse(lastLine(stdout)) as { batchId: string }).batchId),
      }),
    );
    results.push(
      await runEngine(ctx, sandbox, dir, workflow, bytes, count, (name) =>
        api.batchIdByName(workflow, name).then(expectRecords),
      ),
    );
    results.push(await curl('par-curl', PARALLEL_CURL));
    results.push(await curl('seq-curl', 1));
    return results;
  });

  const engine = okResult(contenders, 'engine');
  const seq = okResult(contenders, 'seq-curl');
  const par = okResult(contenders, 'par-curl');
  const floor = okResult(contenders, 'floor');
  const overSeq = ratio(seq?.wallSeconds, engine?.wallSeconds);
  const overPar = ratio(par?.wallSeconds, engine?.wallSeconds);
  const ofFloor = ratio(engine?.wallSeconds, floor?.wallSeconds);
  return {
    id: 'S',
    title: 'many small files',
    workload: `${count} x ${size / 1024} KiB`,
    contenders,
    ratios: {
      'engine speed-up over seq-curl (x)': overSeq,
      'engine speed-up over par-curl (x)': overPar,
      'engine time / floor time': ofFloor,
    },
    targets: [
      target('S', 'engine speed-up over seq-curl', overSeq, '>=', 20),
      target('S', 'engine speed-up over par-curl', overPar, '>=', 2),
      target('S', 'engine time / floor time', ofFloor, '<=', 1.5),
    ],
    notes: [
      `floor: ${ENGINE_CONCURRENCY.api} API and ${ENGINE_CONCURRENCY.put} PUT requests in flight (the engine's defaults), keep-alive`,
      `par-curl: xargs -P ${PARALLEL_CURL}; both curl contenders log in once and reuse the token`,
    ],
  };
}

async function runEngine(
  ctx: BenchContext,
  sandbox: SandboxProcess,
  dir: string,
  workflow: string,
  bytes: number,
  count: number,
  check: (batchName: string) => Promise<string>,
): Promise<ContenderResult> {
  if (!cliHasCommand('upload')) return skipped('engine', 'the CLI has no upload command yet');
  const stateDir = join(dir, 'engine-state');
  mkdirSync(stateDir, { recursive: true });
  const batchName = 'bench engine';
  return runContender(ctx, 'S', sandbox, {
    contender: 'engine',
    phases: cliPhases,
    command: process.execPath,
    args: [
      ...engineNodeFlags(ctx, 'S-engine'),
      CLI,
      'upload',
      join(dir, 'images'),
      '--workflow',
      workflow,
      '--new-batch',
      batchName,
      '--state-dir',
      stateDir,
      '--json',
    ],
    env: sandboxEnv(sandbox),
    bytes,
    files: count,
    verify: () => check(batchName),
  });
}

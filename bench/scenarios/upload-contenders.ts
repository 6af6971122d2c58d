/**
 * The contenders that upload a list of images into a new batch, shared by scenarios S and W: the tutorial's curl
 * script (sequential or `xargs -P`), the floor client (`floor-upload.ts`) and the engine's CLI. Each is checked
 * afterwards by counting the records in the batch it made.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../context.ts';
import { CLI, cliHasCommand, cliPhases, engineNodeFlags, runContender, sandboxEnv } from '../context.ts';
import type { ContenderResult } from '../results.ts';
import { skipped } from '../results.ts';
import type { SandboxProcess } from '../sandbox-process.ts';
import { connectSetupApi } from '../setup-api.ts';

const CURL_SCRIPT = fileURLToPath(new URL('../curl/tutorial-upload.sh', import.meta.url));
const FLOOR = fileURLToPath(new URL('../floor-upload.ts', import.meta.url));
/** Files at once for par-curl (`xargs -P`). */
export const PARALLEL_CURL = 8;

/** One upload workload: the images (a folder and a list of the same files) and where runs keep their state. */
export interface UploadWorkload {
  /** The scenario id, for labels and logs (`S`, `W`). */
  scenario: string;
  /** The folder holding the images (what the engine is given). */
  folder: string;
  /** The file listing them, one path a line (what the curl script and the floor read). */
  list: string;
  /** Where per-run state goes (the engine's state dir). */
  dir: string;
  workflow: string;
  files: number;
  bytes: number;
}

/** Counts the records of a batch against the workload's file count; throws when they differ. */
async function expectRecords(
  sandbox: SandboxProcess,
  work: UploadWorkload,
  batchId: string | null,
): Promise<string> {
  if (!batchId) throw new Error('the batch was not found');
  const api = await connectSetupApi(sandbox.baseUrl, sandbox.origin);
  const records = await api.recordCount(batchId);
  if (records !== work.files) throw new Error(`the batch holds ${records} records, expected ${work.files}`);
  return `${records} records in the batch`;
}

const lastLine = (stdout: string): string => stdout.trim().split('\n').at(-1) ?? '';

/** The tutorial's curl script, `parallel` files at once (1 = sequential). */
export function runCurlUpload(
  ctx: BenchContext,
  sandbox: SandboxProcess,
  work: UploadWorkload,
  contender: 'seq-curl' | 'par-curl',
  parallel: number,
): Promise<ContenderResult> {
  return runContender(ctx, work.scenario, sandbox, {
    contender,
    command: 'bash',
    args: [CURL_SCRIPT, work.list],
    env: sandboxEnv(sandbox, {
      WORKFLOW_ID: work.workflow,
      BATCH_NAME: `bench ${contender}`,
      ASSET_TYPE: 'image',
      PARALLEL: String(parallel),
    }),
    bytes: work.bytes,
    files: work.files,
    verify: (stdout) => expectRecords(sandbox, work, lastLine(stdout)),
  });
}

/** The floor client with `api` API requests and `put` PUTs in flight. */
export function runFloorUpload(
  ctx: BenchContext,
  sandbox: SandboxProcess,
  work: UploadWorkload,
  concurrency: { api: number; put: number },
): Promise<ContenderResult> {
  return runContender(ctx, work.scenario, sandbox, {
    contender: 'floor',
    command: process.execPath,
    args: [
      FLOOR,
      '--list',
      work.list,
      '--workflow',
      work.workflow,
      '--batch-name',
      'bench floor',
      '--api-concurrency',
      String(concurrency.api),
      '--put-concurrency',
      String(concurrency.put),
    ],
    env: sandboxEnv(sandbox),
    bytes: work.bytes,
    files: work.files,
    verify: (stdout) =>
      expectRecords(sandbox, work, (JSON.parse(lastLine(stdout)) as { batchId: string }).batchId),
  });
}

/** The engine's CLI (`upload FOLDER --new-batch`), from a fresh state dir, with its own defaults. */
export async function runEngineUpload(
  ctx: BenchContext,
  sandbox: SandboxProcess,
  work: UploadWorkload,
  label: string,
): Promise<ContenderResult> {
  if (!cliHasCommand('upload')) return skipped('engine', 'the CLI has no upload command yet');
  const stateDir = join(work.dir, `${label}-state`);
  mkdirSync(stateDir, { recursive: true });
  const batchName = 'bench engine';
  return runContender(ctx, work.scenario, sandbox, {
    contender: 'engine',
    phases: cliPhases,
    command: process.execPath,
    args: [
      ...engineNodeFlags(ctx, label),
      CLI,
      'upload',
      work.folder,
      '--workflow',
      work.workflow,
      '--new-batch',
      batchName,
      '--state-dir',
      stateDir,
      '--json',
    ],
    env: sandboxEnv(sandbox),
    bytes: work.bytes,
    files: work.files,
    verify: async () => {
      const api = await connectSetupApi(sandbox.baseUrl, sandbox.origin);
      return expectRecords(sandbox, work, await api.batchIdByName(work.workflow, batchName));
    },
  });
}

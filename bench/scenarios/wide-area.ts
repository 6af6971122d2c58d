/**
 * Scenario W, a real link to the platform: the small files of S and a set of larger images, each through a
 * sandbox that adds 40 ms to every request and caps bandwidth at 100 Mbit/s (shared by every connection, each
 * way). The floor client runs at each concurrency of a sweep, and its best run is what the engine is held to:
 * with small files, only many requests in flight fill a 40 ms link; with large ones, a few fill the bandwidth.
 * Every run gets its own sandbox (stored uploads are removed with it, so the disk never fills).
 */
import { join } from 'node:path';
import { SANDBOX_WORKFLOWS } from '../../sandbox/seed.ts';
import type { BenchContext } from '../context.ts';
import { makeImages, writeList } from '../data.ts';
import type { ContenderResult, ScenarioResult, TargetResult } from '../results.ts';
import { okResult, ratio, target } from '../results.ts';
import type { SandboxChildOptions, SandboxProcess } from '../sandbox-process.ts';
import { PARALLEL_CURL, runCurlUpload, runEngineUpload, runFloorUpload } from './upload-contenders.ts';
import type { UploadWorkload } from './upload-contenders.ts';
import { withSandbox } from './with-sandbox.ts';

/** The link every W run goes through. */
const WIDE_AREA_LINK = { latencyMs: 40, bandwidthMbps: 100 } as const;
/** Requests in flight the floor is tried at (the same number for API calls and PUTs). */
export const FLOOR_CONCURRENCIES = [1, 2, 4, 8, 16, 32, 64] as const;

const SANDBOX: Omit<SandboxChildOptions, 'dataDir'> = {
  labelers: false,
  bandwidthMbps: WIDE_AREA_LINK.bandwidthMbps,
  faults: { latencyMs: WIDE_AREA_LINK.latencyMs },
};
const MIB = 1024 * 1024;

/** What one workload of W measured, for ratios and targets. */
interface WorkloadOutcome {
  name: string;
  contenders: ContenderResult[];
  ratios: Record<string, number | null>;
  targets: TargetResult[];
  note: string;
}

function sizeLabel(bytes: number): string {
  return bytes >= MIB ? `${bytes / MIB} MiB` : `${bytes / 1024} KiB`;
}

/** Runs one workload: the floor at every concurrency of the sweep, then the engine, then par-curl. */
async function runWorkload(
  ctx: BenchContext,
  name: string,
  count: number,
  size: number,
): Promise<WorkloadOutcome> {
  const dir = join(ctx.tmp, 'W', name);
  ctx.log(`W ${name}: writing ${count} images of ${sizeLabel(size)}`);
  const folder = join(dir, 'images');
  const list = join(dir, 'files.txt');
  writeList(list, await makeImages(folder, count, size));
  const work: UploadWorkload = {
    scenario: 'W',
    folder,
    list,
    dir,
    workflow: SANDBOX_WORKFLOWS.image,
    files: count,
    bytes: count * size,
  };
  const run = async (
    label: string,
    subject: string,
    fn: (sandbox: SandboxProcess) => Promise<ContenderResult>,
  ): Promise<ContenderResult> => {
    const result = await withSandbox(ctx, join(dir, label), SANDBOX, fn);
    result.subject = subject;
    return result;
  };

  const floors: { concurrency: number; result: ContenderResult }[] = [];
  for (const concurrency of FLOOR_CONCURRENCIES) {
    const result = await run(`floor-${concurrency}`, `${name} c=${concurrency}`, (sandbox) =>
      runFloorUpload(ctx, sandbox, work, { api: concurrency, put: concurrency }),
    );
    floors.push({ concurrency, result });
  }
  const engine = await run('engine', name, (sandbox) =>
    runEngineUpload(ctx, sandbox, work, `W-${name}-engine`),
  );
  const par = await run('par-curl', name, (sandbox) =>
    runCurlUpload(ctx, sandbox, work, 'par-curl', PARALLEL_CURL),
  );

  const best = floors
    .filter(({ result }) => result.status === 'ok' && result.wallSeconds !== null)
    .sort((a, b) => (a.result.wallSeconds ?? 0) - (b.result.wallSeconds ?? 0))[0];
  const engineOk = okResult([engine], 'engine');
  const ofBest = ratio(best?.result.wallSeconds, engineOk?.wallSeconds);
  const overPar = ratio(okResult([par], 'par-curl')?.wallSeconds, engineOk?.wallSeconds);
  const fixed = (value: number | null): string => (value === null ? 'not measured' : `${value.toFixed(2)}x`);
  return {
    name,
    contenders: [...floors.map(({ result }) => result), engine, par],
    ratios: {
      [`${name}: best floor concurrency`]: best?.concurrency ?? null,
      [`${name}: engine throughput / best floor`]: ofBest,
      [`${name}: engine speed-up over par-curl (x)`]: overPar,
    },
    targets: [
      target('W', `${name}: engine throughput / best floor`, ofBest, '>=', 0.9),
      target('W', `${name}: engine speed-up over par-curl`, overPar, '>=', 5),
    ],
    note:
      `${name} (${count} x ${sizeLabel(size)}): engine ${fixed(ofBest)} the best floor ` +
      `(target >= 0.9x; best at ${best ? `${best.concurrency} in flight` : 'none'}), ` +
      `${fixed(overPar)} par-curl's speed (target >= 5x)`,
  };
}

/** Runs scenario W. */
export async function runWideArea(ctx: BenchContext): Promise<ScenarioResult> {
  const { smallFiles, smallFileBytes, wideFiles, wideFileBytes } = ctx.sizes;
  const outcomes = [
    await runWorkload(ctx, 'small', smallFiles, smallFileBytes),
    await runWorkload(ctx, 'large', wideFiles, wideFileBytes),
  ];
  return {
    id: 'W',
    title: 'over a wide-area link',
    workload:
      `${smallFiles} x ${sizeLabel(smallFileBytes)}, ${wideFiles} x ${sizeLabel(wideFileBytes)}, ` +
      `+${WIDE_AREA_LINK.latencyMs} ms, ${WIDE_AREA_LINK.bandwidthMbps} Mbit/s`,
    contenders: outcomes.flatMap((outcome) => outcome.contenders),
    ratios: Object.assign({}, ...outcomes.map((outcome) => outcome.ratios)) as Record<string, number | null>,
    targets: outcomes.flatMap((outcome) => outcome.targets),
    notes: [
      ...outcomes.map((outcome) => outcome.note),
      `the sandbox adds ${WIDE_AREA_LINK.latencyMs} ms to every request (API and storage) and caps bandwidth at ` +
        `${WIDE_AREA_LINK.bandwidthMbps} Mbit/s each way, shared by every connection; a fresh sandbox per run`,
      `floor: the same requests as S's floor at ${FLOOR_CONCURRENCIES.join(', ')} API calls and PUTs in flight; ` +
        `the engine runs with its defaults; par-curl: xargs -P ${PARALLEL_CURL}`,
    ],
  };
}

/**
 * Scenario E, export download: one video asset of the wanted size goes through the sandbox's labelers (enabled,
 * 0 s per task, no exceptions), so a zip export of its batch holds the asset. The floor is a single `curl -o` of
 * a ready export's signed URL (only the download is timed). The engine's CLI and the tutorial's curl script
 * each create their own export of the same batch, wait for it and download it, so their wall time includes the
 * sandbox's export generation, which the setup measures once and the report shows beside them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { SANDBOX_WORKFLOWS } from '../../sandbox/seed.ts';
import type { BenchContext } from '../context.ts';
import { CLI, cliHasCommand, engineNodeFlags, runContender, sandboxEnv } from '../context.ts';
import { makePaddedVideo, PADDED_VIDEO_FACTS } from '../data.ts';
import type { ContenderResult, ScenarioResult } from '../results.ts';
import { okResult, ratio, skipped, target, withBytes } from '../results.ts';
import type { TimedLine } from '../measure.ts';
import type { SetupApi } from '../setup-api.ts';
import { connectSetupApi } from '../setup-api.ts';
import { formatSize } from './large-file.ts';
import { withSandbox } from './with-sandbox.ts';

const CURL_SCRIPT = fileURLToPath(new URL('../curl/tutorial-export.sh', import.meta.url));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

/** Creates an export of the batch and waits until it is ready; returns its id and how long generation took. */
async function readyExport(
  api: SetupApi,
  workflow: string,
  batchId: string,
  filename: string,
): Promise<{ id: string; seconds: number }> {
  const started = performance.now();
  const id = await api.createExport(workflow, [batchId], filename);
  await waitFor('the export', async () => ['ready', 'downloaded'].includes(await api.exportStatus(id)));
  return { id, seconds: (performance.now() - started) / 1000 };
}

/**
 * Splits the engine's run at its first download event (NDJSON on stdout): before it, login, creating the export
 * and waiting for the sandbox to generate it; from it to the process's exit, the download itself (verification
 * and exit included, so the phase never flatters the engine).
 */
function downloadPhase(lines: readonly TimedLine[], wallSeconds: number): Record<string, number> {
  const first = lines.find(({ line }) =>
    /"event":"(start|progress|verified)"|"status":"downloading"/.test(line),
  );
  if (!first) return {};
  return { untilDownload: first.atSeconds, download: wallSeconds - first.atSeconds };
}

function sizeOf(path: string): number {
  return statSync(path).size;
}

/** Runs scenario E. */
export async function runExport(ctx: BenchContext): Promise<ScenarioResult> {
  const dir = join(ctx.tmp, 'E');
  mkdirSync(dir, { recursive: true });
  const source = join(dir, 'export-source.mp4');
  ctx.log(`E: writing a ${formatSize(ctx.sizes.exportBytes)} MP4 and labeling it`);
  makePaddedVideo(source, ctx.sizes.exportBytes);
  const workflow = SANDBOX_WORKFLOWS.video;
  const notes: string[] = [];
  let generationSeconds: number | null = null;
  let zipBytes = 0;

  const contenders = await withSandbox(
    ctx,
    dir,
    { labelers: true, taskSeconds: 0, exceptionRate: 0 },
    async (sandbox) => {
      const api = await connectSetupApi(sandbox.baseUrl, sandbox.origin);
      const upload = await api.prepareUpload({
        name: 'export-source',
        fileName: 'export-source.mp4',
        type: 'video',
        ...PADDED_VIDEO_FACTS,
      });
      const put = spawnSync('curl', ['-sS', '-f', '-o', '/dev/null', '-T', source, upload.url]);
      if (put.status !== 0)
        throw new Error(`E setup: the upload of the source video failed (curl exit ${put.status})`);
      await api.closeUpload(upload.assetId);
      const batchId = await api.createBatch(workflow, 'bench export', true);
      await api.addRecords(batchId, [upload.assetId]);
      await waitFor('the labelers', async () => (await api.resultCount(batchId)) >= 1);

      const floorExport = await readyExport(api, workflow, batchId, 'bench-floor.zip');
      generationSeconds = floorExport.seconds;
      notes.push(
        `the sandbox generated the export in ${generationSeconds.toFixed(2)} s (setup, untimed for floor)`,
      );
      const floorOut = join(dir, 'floor.zip');
      const url = await api.exportDownloadUrl(floorExport.id);
      const results: ContenderResult[] = [];
      const floor = await runContender(ctx, 'E', sandbox, {
        contender: 'floor',
        command: 'curl',
        args: ['-sS', '-f', '-o', floorOut, url],
        bytes: 0,
        files: 1,
        verify: async () => {
          zipBytes = sizeOf(floorOut);
          return `${zipBytes} bytes written`;
        },
        cleanup: () => rm(floorOut, { force: true }),
      });
      results.push(withBytes(floor, zipBytes));
      const sameSize = async (path: string): Promise<string> => {
        const size = sizeOf(path);
        // Each export's JSON names its own export and times, so sizes differ by a few bytes, never by the asset.
        if (size < ctx.sizes.exportBytes || Math.abs(size - zipBytes) > 64 * 1024) {
          throw new Error(`the zip has ${size} bytes, the floor's has ${zipBytes}`);
        }
        return `${size} bytes written`;
      };

      if (cliHasCommand('export')) {
        const out = join(dir, 'engine-out');
        mkdirSync(out, { recursive: true });
        results.push(
          await runContender(ctx, 'E', sandbox, {
            contender: 'engine',
            command: process.execPath,
            args: [
              ...engineNodeFlags(ctx, 'E-engine'),
              CLI,
              'export',
              '--workflow',
              workflow,
              '--batch',
              batchId,
              '--out',
              out,
              '--state-dir',
              join(dir, 'engine-state'),
              '--json',
            ],
            env: sandboxEnv(sandbox),
            bytes: zipBytes,
            files: 1,
            phases: downloadPhase,
            verify: async () => {
              const zips = readdirSync(out).filter((name) => name.endsWith('.zip'));
              if (zips.length !== 1)
                throw new Error(`expected one zip in the output folder, found ${zips.length}`);
              return sameSize(join(out, zips[0] as string));
            },
            cleanup: () => rm(out, { recursive: true, force: true }),
          }),
        );
      } else {
        results.push(skipped('engine', 'the CLI has no export command yet'));
      }
      results.push(skipped('par-curl', 'one file: xargs -P has nothing to run in parallel'));
      const curlOut = join(dir, 'seq-curl.zip');
      results.push(
        await runContender(ctx, 'E', sandbox, {
          contender: 'seq-curl',
          command: 'bash',
          args: [CURL_SCRIPT, curlOut],
          env: sandboxEnv(sandbox, { WORKFLOW_ID: workflow, BATCH_ID: batchId }),
          bytes: zipBytes,
          files: 1,
          verify: () => sameSize(curlOut),
          cleanup: () => rm(curlOut, { force: true }),
        }),
      );
      return results;
    },
  );

  const engine = okResult(contenders, 'engine');
  const floor = okResult(contenders, 'floor');
  const floorWithGeneration =
    floor?.wallSeconds != null && generationSeconds !== null ? floor.wallSeconds + generationSeconds : null;
  const ofFloor = ratio(floor?.wallSeconds, engine?.phases?.download);
  const ofFloorWithGeneration = ratio(floorWithGeneration, engine?.wallSeconds);
  const ofScript = ratio(engine?.wallSeconds, okResult(contenders, 'seq-curl')?.wallSeconds);
  return {
    id: 'E',
    title: 'export download',
    workload: `${formatSize(ctx.sizes.exportBytes)} zip`,
    contenders,
    ratios: {
      'engine download throughput / floor throughput': ofFloor,
      'engine whole-run throughput / (export generation + floor download)': ofFloorWithGeneration,
      'engine whole run / curl script whole run': ofScript,
    },
    targets: [
      target('E', 'engine download throughput / floor throughput', ofFloor, '>=', 0.9),
      target('E', 'engine whole run / curl script whole run', ofScript, '<', 1),
    ],
    notes: [
      ...notes,
      'floor times one `curl -o` of a ready export; the engine and seq-curl create, wait for and download their own export',
      "the engine's download phase runs from its first download event (NDJSON) to its exit: MD5, size and ETag checks and the rename included",
    ],
  };
}

/**
 * Scenario L, one large video: a valid MP4 padded to the size (its header says 30000/1001 fps and 45 frames) into
 * a new batch. The floor is a single `curl -T` to a signed URL prepared beforehand (only the PUT is timed); the
 * engine and the tutorial's curl do the whole round trip (login, register, session, PUT, close, record).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SANDBOX_WORKFLOWS } from '../../sandbox/seed.ts';
import type { BenchContext } from '../context.ts';
import { CLI, cliHasCommand, cliPhases, engineNodeFlags, runContender, sandboxEnv } from '../context.ts';
import { makePaddedVideo, PADDED_VIDEO_FACTS, writeList } from '../data.ts';
import type { ContenderResult, ScenarioResult } from '../results.ts';
import { okResult, ratio, skipped, target } from '../results.ts';
import { connectSetupApi } from '../setup-api.ts';
import { withSandbox } from './with-sandbox.ts';

const CURL_SCRIPT = fileURLToPath(new URL('../curl/tutorial-upload.sh', import.meta.url));
const MIB = 1024 * 1024;

/** Runs scenario L. */
export async function runLargeFile(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.sizes.largeFileBytes;
  const dir = join(ctx.tmp, 'L');
  mkdirSync(join(dir, 'video'), { recursive: true });
  const video = join(dir, 'video', 'large-video.mp4');
  ctx.log(`L: writing a ${size / MIB} MiB MP4`);
  makePaddedVideo(video, size);
  const list = join(dir, 'files.txt');
  writeList(list, [video]);
  const workflow = SANDBOX_WORKFLOWS.video;

  const contenders = await withSandbox(ctx, dir, { labelers: false }, async (sandbox) => {
    const api = await connectSetupApi(sandbox.baseUrl, sandbox.origin);
    const oneRecord = async (batchId: string | null): Promise<string> => {
      if (!batchId) throw new Error('the batch was not found');
      const records = await api.recordCount(batchId);
      if (records !== 1) throw new Error(`the batch holds ${records} records, expected 1`);
      return '1 record in the batch';
    };
    const results: ContenderResult[] = [];
    const deleteBatchAssets = async (batchName: string): Promise<void> => {
      const batchId = await api.batchIdByName(workflow, batchName);
      if (batchId) await api.deleteAssets(await api.assetIdsInBatch(batchId));
    };

    const prepared = await api.prepareUpload({
      name: 'bench floor video',
      fileName: 'large-video.mp4',
      type: 'video',
      ...PADDED_VIDEO_FACTS,
    });
    results.push(
      await runContender(ctx, 'L', sandbox, {
        contender: 'floor',
        command: 'curl',
        args: ['-sS', '-f', '-o', '/dev/null', '-T', video, prepared.url],
        bytes: size,
        files: 1,
        verify: async () => {
          await api.closeUpload(prepared.assetId);
          return 'PUT answered 200, session closed';
        },
        cleanup: () => api.deleteAssets([prepared.assetId]),
      }),
    );

    if (cliHasCommand('upload')) {
      const stateDir = join(dir, 'engine-state');
      mkdirSync(stateDir, { recursive: true });
      results.push(
        await runContender(ctx, 'L', sandbox, {
          contender: 'engine',
          phases: cliPhases,
          command: process.execPath,
          args: [
            ...engineNodeFlags(ctx, 'L-engine'),
            CLI,
            'upload',
            video,
            '--workflow',
            workflow,
            '--new-batch',
            'bench engine',
            '--state-dir',
            stateDir,
            '--json',
          ],
          env: sandboxEnv(sandbox),
          bytes: size,
          files: 1,
          verify: async () => oneRecord(await api.batchIdByName(workflow, 'bench engine')),
          cleanup: () => deleteBatchAssets('bench engine'),
        }),
      );
    } else {
      results.push(skipped('engine', 'the CLI has no upload command yet'));
    }

    results.push(skipped('par-curl', 'one file: xargs -P has nothing to run in parallel'));
    results.push(
      await runContender(ctx, 'L', sandbox, {
        contender: 'seq-curl',
        command: 'bash',
        args: [CURL_SCRIPT, list],
        env: sandboxEnv(sandbox, {
          WORKFLOW_ID: workflow,
          BATCH_NAME: 'bench seq-curl',
          ASSET_TYPE: 'video',
          FPS: String(PADDED_VIDEO_FACTS.fps),
          FRAME_COUNT: String(PADDED_VIDEO_FACTS.frameCount),
        }),
        bytes: size,
        files: 1,
        verify: (stdout) => oneRecord(stdout.trim().split('\n').at(-1) ?? null),
        cleanup: () => deleteBatchAssets('bench seq-curl'),
      }),
    );
    return results;
  });

  const engine = okResult(contenders, 'engine');
  const floor = okResult(contenders, 'floor');
  const ofFloor = ratio(engine?.mibPerSecond, floor?.mibPerSecond);
  const ofScript = ratio(engine?.wallSeconds, okResult(contenders, 'seq-curl')?.wallSeconds);
  return {
    id: 'L',
    title: 'one large file',
    workload: `1 x ${formatSize(size)} video`,
    contenders,
    ratios: {
      'engine throughput / floor throughput': ofFloor,
      'engine whole run / curl script whole run': ofScript,
    },
    targets: [
      target('L', 'engine throughput / floor throughput', ofFloor, '>=', 0.9),
      target('L', 'engine whole run / curl script whole run', ofScript, '<', 1),
      target(
        'L',
        'engine CLI peak RSS (MB)',
        engine?.peakRssMiB ? (engine.peakRssMiB * MIB) / 1e6 : null,
        '<',
        150,
      ),
    ],
    notes: [
      'the video is the committed 45-frame MP4 fixture followed by one `free` box of padding; the engine probes it like any MP4',
      'floor times only the PUT; engine and seq-curl time the whole round trip from process start',
    ],
  };
}

/** "1 GiB", "8 MiB". */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * MIB ? `${bytes / (1024 * MIB)} GiB` : `${bytes / MIB} MiB`;
}

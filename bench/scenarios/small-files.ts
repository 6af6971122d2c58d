/**
 * Scenario S, many small files: N JPEG images of 64 KiB into one new batch, input records included, by the
 * tutorial's curl (sequential and `xargs -P 8`), by the engine's CLI from a fresh state dir, and by the floor
 * client (same requests, keep-alive, the engine's concurrency, nothing else).
 */
import { join } from 'node:path';
import { SANDBOX_WORKFLOWS } from '../../sandbox/seed.ts';
import type { BenchContext } from '../context.ts';
import { makeImages, writeList } from '../data.ts';
import { ENGINE_CONCURRENCY } from '../engine-defaults.ts';
import type { ScenarioResult } from '../results.ts';
import { cpuSeconds, okResult, ratio, target } from '../results.ts';
import { PARALLEL_CURL, runCurlUpload, runEngineUpload, runFloorUpload } from './upload-contenders.ts';
import type { UploadWorkload } from './upload-contenders.ts';
import { withSandbox } from './with-sandbox.ts';

/** Runs scenario S. */
export async function runSmallFiles(ctx: BenchContext): Promise<ScenarioResult> {
  const { smallFiles: count, smallFileBytes: size } = ctx.sizes;
  const dir = join(ctx.tmp, 'S');
  ctx.log(`S: writing ${count} images of ${size / 1024} KiB`);
  const images = await makeImages(join(dir, 'images'), count, size);
  const list = join(dir, 'files.txt');
  writeList(list, images);

  const work: UploadWorkload = {
    scenario: 'S',
    folder: join(dir, 'images'),
    list,
    dir,
    workflow: SANDBOX_WORKFLOWS.image,
    files: count,
    bytes: count * size,
  };

  const contenders = await withSandbox(ctx, dir, { labelers: false }, async (sandbox) => [
    await runFloorUpload(ctx, sandbox, work, ENGINE_CONCURRENCY),
    await runEngineUpload(ctx, sandbox, work, 'S-engine'),
    await runCurlUpload(ctx, sandbox, work, 'par-curl', PARALLEL_CURL),
    await runCurlUpload(ctx, sandbox, work, 'seq-curl', 1),
  ]);

  const engine = okResult(contenders, 'engine');
  const seq = okResult(contenders, 'seq-curl');
  const par = okResult(contenders, 'par-curl');
  const floor = okResult(contenders, 'floor');
  const overSeq = ratio(seq?.wallSeconds, engine?.wallSeconds);
  const overPar = ratio(par?.wallSeconds, engine?.wallSeconds);
  const ofFloor = ratio(engine?.wallSeconds, floor?.wallSeconds);
  const cpuOfFloor = ratio(cpuSeconds(engine), cpuSeconds(floor));
  return {
    id: 'S',
    title: 'many small files',
    workload: `${count} x ${size / 1024} KiB`,
    contenders,
    ratios: {
      'engine speed-up over seq-curl (x)': overSeq,
      'engine speed-up over par-curl (x)': overPar,
      'engine time / floor time': ofFloor,
      'engine CPU / floor CPU': cpuOfFloor,
    },
    targets: [
      target('S', 'engine speed-up over seq-curl', overSeq, '>=', 25),
      target('S', 'engine speed-up over par-curl', overPar, '>=', 20),
      target('S', 'engine time / floor time', ofFloor, '<=', 1.5),
      target('S', 'engine CPU / floor CPU', cpuOfFloor, '<=', 2.5),
    ],
    notes: [
      `floor: ${ENGINE_CONCURRENCY.api} API and ${ENGINE_CONCURRENCY.put} PUT requests in flight (the engine's defaults), keep-alive`,
      `par-curl: xargs -P ${PARALLEL_CURL}; both curl contenders log in once and reuse the token`,
    ],
  };
}

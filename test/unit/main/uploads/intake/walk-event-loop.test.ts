import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { walkPaths } from '../../../../../main/uploads/intake/walk.ts';

/**
 * The walk over a large tree must keep the event loop responsive and memory flat. Timing is machine dependent, so
 * the figures are printed, not asserted; what is asserted is that every file arrives exactly once in bounded
 * chunks. `WALK_FILES=100000` scales the tree up for a measurement run.
 */
const FILES = Number(process.env.WALK_FILES ?? 20_000);
const PER_FOLDER = 100;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'walk-scale-'));
  for (let folder = 0; folder * PER_FOLDER < FILES; folder++) {
    const sub = path.join(dir, `f${Math.floor(folder / 50)}`, `g${folder}`);
    mkdirSync(sub, { recursive: true });
    for (let i = folder * PER_FOLDER; i < Math.min(FILES, (folder + 1) * PER_FOLDER); i++)
      writeFileSync(path.join(sub, `${i}.jpg`), 'x');
  }
}, 300_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it(`walks ${FILES} files in chunks of at most 500 while the event loop keeps ticking`, async () => {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  // A late tick is either our own synchronous work or the OS running someone else (2 shared cores); the main
  // thread's CPU time within the gap tells the two apart.
  let maxGap = 0;
  let maxBusy = 0;
  let last = performance.now();
  let lastCpu = process.threadCpuUsage();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = process.threadCpuUsage(lastCpu);
    maxGap = Math.max(maxGap, now - last);
    maxBusy = Math.max(maxBusy, (cpu.user + cpu.system) / 1000);
    last = now;
    lastCpu = process.threadCpuUsage();
  }, 1);
  histogram.enable();
  const started = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  let count = 0;
  let chunks = 0;
  let largest = 0;
  let sampleSum = 0;
  try {
    for await (const chunk of walkPaths([dir], { chunkSize: 500 })) {
      count += chunk.length;
      chunks++;
      largest = Math.max(largest, chunk.length);
      // Fold the chunk into a number so nothing keeps it alive, as a consumer that queues and forgets would.
      for (const file of chunk) sampleSum += file.size;
    }
  } finally {
    clearInterval(ticker);
    histogram.disable();
  }
  const elapsed = performance.now() - started;
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(
    `walk of ${count} files: ${elapsed.toFixed(0)} ms, ${chunks} chunks, max interval gap ${maxGap.toFixed(1)} ms (main-thread CPU in any one interval at most ${maxBusy.toFixed(1)} ms), ` +
      `event-loop delay p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms max ${(histogram.max / 1e6).toFixed(1)} ms, ` +
      `heap ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB after vs before`,
  );
  expect(count).toBe(FILES);
  expect(sampleSum).toBe(FILES);
  expect(largest).toBeLessThanOrEqual(500);
  expect(chunks).toBeGreaterThanOrEqual(Math.ceil(FILES / 500));
}, 300_000);

import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { walkPaths } from './walk.ts';
const FILES = Number(process.env.WALK_FILES ?? 100000);
const dir = `/tmp/walkbench/tree-${FILES}`;
if (!existsSync(dir)) {
  for (let folder = 0; folder * 100 < FILES; folder++) {
    const sub = path.join(dir, `f${Math.floor(folder / 50)}`, `g${folder}`);
    mkdirSync(sub, { recursive: true });
    for (let i = folder * 100; i < Math.min(FILES, (folder + 1) * 100); i++)
      writeFileSync(path.join(sub, `${i}.jpg`), 'x');
  }
}
const gaps: { wall: number; cpu: number }[] = [];
let last = performance.now();
let lastCpu = process.threadCpuUsage();
const ticker = setInterval(() => {
  const now = performance.now();
  const cpu = process.threadCpuUsage();
  const wall = now - last;
  const cpuMs = (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000;
  if (wall > 20) gaps.push({ wall, cpu: cpuMs });
  last = now;
  lastCpu = cpu;
}, 1);
const started = performance.now();
let count = 0;
for await (const chunk of walkPaths([dir])) count += chunk.length;
clearInterval(ticker);
const elapsed = performance.now() - started;
gaps.sort((a, b) => b.wall - a.wall);
console.log(
  `walk of ${count} files: ${elapsed.toFixed(0)} ms; gaps > 20 ms: ${gaps.length}; worst:`,
  gaps
    .slice(0, 8)
    .map((g) => `${g.wall.toFixed(1)}ms wall/${g.cpu.toFixed(1)}ms main-thread cpu`)
    .join(', '),
);
console.log('rss MB', (process.memoryUsage().rss / 1e6).toFixed(0));

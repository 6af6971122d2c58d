/**
 * Summarises a V8 CPU profile (`--cpu-prof`, e.g. from `npm run bench -- --cpu-prof`): self time per function
 * and per source file, heaviest first, so a missed target points at the code that costs.
 *
 * Usage: node bench/profile-summary.ts <file.cpuprofile> [--top N]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(REPO) ? relative(REPO, path) : path;
}

/** Self milliseconds per key, heaviest first. */
function top(map: Map<string, number>, count: number): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: profile-summary.ts <file.cpuprofile> [--top N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const label = (node: ProfileNode): string => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
};
/** Native work (fs, sqlite, crypto bindings) is charged to the nearest JavaScript caller, which names the cause. */
const jsCallerOf = (node: ProfileNode): string => {
  let current: ProfileNode | undefined = node;
  while (current && current.callFrame.url === '') {
    const parent = parentOf.get(current.id);
    current = parent === undefined ? undefined : byId.get(parent);
  }
  return current ? label(current) : '(no JavaScript caller)';
};
const nativeByCaller = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i] as number);
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  if (!node) continue;
  total += ms;
  const where = shortUrl(node.callFrame.url);
  const name = label(node);
  selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + ms);
  if (node.callFrame.url === '' && !name.startsWith('(')) {
    const caller = jsCallerOf(node);
    nativeByCaller.set(caller, (nativeByCaller.get(caller) ?? 0) + ms);
  }
  selfByFile.set(where, (selfByFile.get(where) ?? 0) + ms);
}
const count = Number(values.top);
const line = ([name, ms]: [string, number]): string =>
  `${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`;
process.stdout.write(`${file}: ${total.toFixed(0)} ms sampled\n\nSelf time by function:\n`);
process.stdout.write(`${top(selfByFunction, count).map(line).join('\n')}\n\nSelf time by file:\n`);
process.stdout.write(`${top(selfByFile, count).map(line).join('\n')}\n\nNative time by JavaScript caller:\n`);
process.stdout.write(`${top(nativeByCaller, count).map(line).join('\n')}\n`);

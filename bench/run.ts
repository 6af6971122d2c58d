/**
 * `npm run bench`: our engine side by side with the tutorial's curl, curl under `xargs -P 8`, and the protocol's
 * floor, in five scenarios (S many small files, L one large video, E an export download, Q intake at scale, P the
 * video probe on a large MKV and MP4, beside ffprobe), and on request a sixth (W: uploads over a slow link).
 * Each scenario gets its own sandbox process (labelers off unless the scenario needs results). Prints one table
 * and writes bench/results/latest.json.
 *
 *   npm run bench                      full sizes (minutes)
 *   npm run bench -- --quick           tiny sizes (CI keeps the bench working; the numbers mean nothing)
 *   npm run bench -- --only S,Q        some scenarios (--only P: the probe alone)
 *   npm run bench -- --only W          the wide-area link (40 ms, 100 Mbit/s), only run when named
 *   npm run bench -- --cpu-prof        V8 CPU profiles of the engine runs, kept in bench/results/profiles/
 *   npm run bench -- --results-dir D   write latest.json (and profiles) to D instead of bench/results/
 *   npm run bench -- --contenders engine,floor   some contenders (the rest are reported as not selected)
 *   npm run bench -- --keep            keep the temp folder (inputs, logs) for inspection
 */
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchContext } from './context.ts';
import { FULL_SIZES, QUICK_SIZES } from './context.ts';
import { ensureCliBundle } from './cli-bundle.ts';
import { hasGnuTime } from './measure.ts';
import { formatReport } from './report.ts';
import type { BenchResults, ContenderId, ScenarioId, ScenarioResult } from './results.ts';
import { runExport } from './scenarios/export-download.ts';
import { runIntake } from './scenarios/intake.ts';
import { runLargeFile } from './scenarios/large-file.ts';
import { runProbe } from './scenarios/probe.ts';
import { runSmallFiles } from './scenarios/small-files.ts';
import { runWideArea } from './scenarios/wide-area.ts';

const SCENARIOS: Record<ScenarioId, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  S: runSmallFiles,
  L: runLargeFile,
  E: runExport,
  Q: runIntake,
  P: runProbe,
  W: runWideArea,
};
/** What runs without `--only`; W (a long run over a slow link) runs only when named. */
const DEFAULT_ORDER = 'S,L,E,Q,P';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'results-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
    contenders: { type: 'string' },
  },
});

const order = (values.only ?? DEFAULT_ORDER).split(',').map((id) => id.trim().toUpperCase());
const unknown = order.filter((id) => !(id in SCENARIOS));
if (unknown.length > 0) {
  process.stderr.write(`error: unknown scenario ${unknown.join(', ')} (expected some of S, L, E, Q, P, W)\n`);
  process.exit(2);
}

const resultsDir = resolve(values['results-dir'] ?? fileURLToPath(new URL('./results/', import.meta.url)));
mkdirSync(resultsDir, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'alegion-bench-'));
const logDir = join(tmp, 'logs');
mkdirSync(logDir, { recursive: true });
const cpuProfDir = values['cpu-prof'] ? join(resultsDir, 'profiles') : null;
if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
const started = Date.now();
const loadAtStart = loadavg()[0] ?? 0;
const ctx: BenchContext = {
  sizes: values.quick ? QUICK_SIZES : FULL_SIZES,
  quick: values.quick,
  tmp,
  logDir,
  cpuProfDir,
  contenders: values.contenders
    ? new Set(values.contenders.split(',').map((name) => name.trim() as ContenderId))
    : null,
  log: (message) =>
    process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${message}\n`),
};

// The engine runs the CLI bundle users run; build it now, before any timing, when it is missing or stale.
ensureCliBundle(ctx.log);

const scenarios: ScenarioResult[] = [];
try {
  for (const id of order) {
    const scenario = await SCENARIOS[id as ScenarioId](ctx);
    scenarios.push(scenario);
    await rm(join(tmp, id), { recursive: true, force: true });
  }
} finally {
  if (values.keep) ctx.log(`inputs and logs kept in ${tmp}`);
  else await rm(tmp, { recursive: true, force: true });
}

const cpuList = cpus();
const results: BenchResults = {
  date: new Date().toISOString(),
  quick: values.quick,
  machine: {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  },
  rssMethod: hasGnuTime()
    ? 'GNU time %M (ru_maxrss: the largest single process of a contender process tree)'
    : '/proc VmHWM of the contender process, polled every 50 ms (children not counted)',
  notes: [
    'Each scenario runs against its own sandbox child process on 127.0.0.1; its CPU is reported separately.',
    'Contenders run one after another on the same machine, which other work may share (see the date and cores).',
  ],
  scenarios,
};
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(formatReport(results));
process.stdout.write(`\nResults written to ${join(resultsDir, 'latest.json')}\n`);

/**
 * What every scenario shares: sizes (full or quick), the temp folder, where logs go, and how a contender process
 * is started, measured and checked.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { CLI_BUNDLE, ensureCliBundle } from './cli-bundle.ts';
import { measureCommand } from './measure.ts';
import type { TimedLine } from './measure.ts';
import type { ContenderId, ContenderResult } from './results.ts';
import { fromMeasurement, skipped } from './results.ts';
import type { SandboxProcess } from './sandbox-process.ts';
import { SANDBOX_CREDENTIALS } from './sandbox-process.ts';

/** Workload sizes of one run. */
export interface Sizes {
  smallFiles: number;
  smallFileBytes: number;
  largeFileBytes: number;
  exportBytes: number;
  intakeFiles: number;
  /** Scenario W's larger files (its small ones are S's). */
  wideFiles: number;
  wideFileBytes: number;
}

/** The sizes. */
export const FULL_SIZES: Sizes = {
  smallFiles: 2000,
  smallFileBytes: 64 * 1024,
  largeFileBytes: 1024 * 1024 * 1024,
  exportBytes: 512 * 1024 * 1024,
  intakeFiles: 100_000,
  wideFiles: 50,
  wideFileBytes: 16 * 1024 * 1024,
};

/** Tiny sizes for CI (`--quick`): the same code paths, in seconds. */
export const QUICK_SIZES: Sizes = {
  smallFiles: 16,
  smallFileBytes: 64 * 1024,
  largeFileBytes: 8 * 1024 * 1024,
  exportBytes: 4 * 1024 * 1024,
  intakeFiles: 1000,
  wideFiles: 4,
  wideFileBytes: 1024 * 1024,
};

/** The repository root (bench/ is one level below). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The CLI entry point the engine contender runs: the bundle users run (see `ensureCliBundle`). */
export const CLI = CLI_BUNDLE;

/** Shared state of one bench run. */
export interface BenchContext {
  sizes: Sizes;
  quick: boolean;
  /** Temp root of this run (generated data, sandbox data, state dirs); removed at the end. */
  tmp: string;
  /** Where each contender's stdout, stderr and GNU time output go. */
  logDir: string;
  /** When set, engine runs write V8 CPU profiles here (`--cpu-prof`). */
  cpuProfDir: string | null;
  /** When set, only these contenders run (the others are reported as not selected). */
  contenders: ReadonlySet<ContenderId> | null;
  /** Prints a progress line to stderr. */
  log(message: string): void;
}

/** The ALEGION_* environment that points a process at a sandbox. */
export function sandboxEnv(sandbox: SandboxProcess, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ALEGION_API_URL: sandbox.baseUrl,
    ALEGION_API_KEY: SANDBOX_CREDENTIALS.apiKey,
    ALEGION_USERNAME: SANDBOX_CREDENTIALS.username,
    ALEGION_PASSWORD: SANDBOX_CREDENTIALS.password,
    ...extra,
  };
}

/**
 * Node flags for engine runs (CPU profiles per run when asked for): a folder per run, holding one profile per
 * thread under Node's own names (a fixed name would let each worker thread's profile overwrite the main one).
 */
export function engineNodeFlags(ctx: BenchContext, label: string): string[] {
  return ctx.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(ctx.cpuProfDir, label)}`] : [];
}

let cliCommands: Set<string> | undefined;

/** Whether the CLI has a command (read once from `node cli.js --help`; builds the bundle first when stale). */
export function cliHasCommand(name: string): boolean {
  if (!cliCommands) {
    ensureCliBundle((message) => process.stderr.write(`${message}\n`));
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', timeout: 60_000 });
    const section = help.status === 0 ? (help.stdout.split(/^Commands:$/m)[1] ?? '') : '';
    cliCommands = new Set([...section.matchAll(/^ {2}(\S+)/gm)].map((match) => match[1] as string));
  }
  return cliCommands.has(name);
}

/** Removes signed-URL query strings from text that may be printed (they are credentials). */
export function redact(text: string): string {
  return text.replace(/\?[^\s'"]*(Signature|Policy|Expires)=[^\s'"]*/g, '?<signed>');
}

/** The last non-empty lines of a file, redacted (for failure notes). */
export async function tailOf(path: string, lines = 3): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return redact(
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-lines)
      .join(' | ')
      .slice(0, 400),
  );
}

interface RequestCounts {
  total: number;
  byRoute: Record<string, number>;
}

/** The sandbox's request counters (`GET /__sandbox/stats`); the stats call itself counts one. */
async function requestCounts(sandbox: SandboxProcess): Promise<RequestCounts | null> {
  try {
    const response = await fetch(`${sandbox.origin}/__sandbox/stats`, {
      headers: { 'x-api-key': SANDBOX_CREDENTIALS.apiKey },
    });
    const stats = (await response.json()) as { requests: number; requestsByRoute: Record<string, number> };
    return { total: stats.requests, byRoute: stats.requestsByRoute };
  } catch {
    return null;
  }
}

/** Requests a run made: the total (storage included, our own stats call excluded) and the API calls by route. */
function requestDelta(before: RequestCounts, after: RequestCounts): ContenderResult['sandboxRequests'] {
  const byRoute: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.byRoute)) {
    const delta = count - (before.byRoute[route] ?? 0);
    if (delta > 0 && !route.includes('__sandbox')) byRoute[route] = delta;
  }
  return { total: after.total - before.total - 1, byRoute };
}

/** What a contender run moved, and how to check it afterwards. */
export interface RunSpec {
  contender: ContenderId;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  bytes: number;
  files: number;
  /** Checks the outcome (reads stdout when useful); returns what was verified, throws when it is wrong. */
  verify?: (stdout: string) => Promise<string>;
  /** Note when each stdout line arrived, and derive phases from them (seconds, e.g. `{ download: 3.2 }`). */
  phases?: (lines: readonly TimedLine[], wallSeconds: number) => Record<string, number>;
  /**
   * Removes what the run left on disk (its downloads, what the sandbox stored for it), after its checks and
   * outside its time: on this kind of virtual machine, memory not used lately is far dearer to write than memory
   * just freed, so keeping each contender's gigabyte favoured whichever ran first (figures in bench/README.md).
   */
  cleanup?: () => Promise<void>;
}

/**
 * Writes back what earlier steps left in the page cache (`sync`) before a contender starts. Otherwise the gigabyte
 * or two the setup and the contender before wrote is flushed by the kernel while this one runs, and its writes pay
 * for it (figures in bench/README.md).
 */
function settleDisk(): void {
  spawnSync('sync');
}

/** Runs one contender while the sandbox's CPU is read before and after; a failed check fails the result. */
export async function runContender(
  ctx: BenchContext,
  scenario: string,
  sandbox: SandboxProcess | null,
  spec: RunSpec,
): Promise<ContenderResult> {
  if (ctx.contenders && !ctx.contenders.has(spec.contender)) return skipped(spec.contender, 'not selected');
  const label = `${scenario}-${spec.contender}`;
  ctx.log(`${scenario}: ${spec.contender} ...`);
  settleDisk();
  const cpuBefore = sandbox ? await sandbox.cpuSeconds() : null;
  const requestsBefore = sandbox ? await requestCounts(sandbox) : null;
  const measurement = await measureCommand(spec.command, spec.args, {
    logDir: ctx.logDir,
    label,
    env: spec.env,
    cwd: REPO_ROOT,
    timestampLines: spec.phases !== undefined,
  });
  const cpuAfter = sandbox ? await sandbox.cpuSeconds() : null;
  const requestsAfter = sandbox ? await requestCounts(sandbox) : null;
  const sandboxCpuSeconds = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  const result = fromMeasurement(spec.contender, measurement, {
    bytes: spec.bytes,
    files: spec.files,
    sandboxCpuSeconds,
  });
  if (requestsBefore && requestsAfter) result.sandboxRequests = requestDelta(requestsBefore, requestsAfter);
  if (spec.phases && measurement.lines)
    result.phases = spec.phases(measurement.lines, measurement.wallSeconds);
  if (result.status !== 'ok') {
    result.note = `exit ${measurement.exitCode}: ${await tailOf(measurement.stderrPath)}`;
  } else if (spec.verify) {
    try {
      result.verified = await spec.verify(await readFile(measurement.stdoutPath, 'utf8'));
    } catch (error) {
      result.status = 'failed';
      result.note = `check failed: ${redact((error as Error).message)}`;
    }
  }
  try {
    await spec.cleanup?.();
  } catch (error) {
    ctx.log(`${scenario}: ${spec.contender}: cleaning up failed: ${redact((error as Error).message)}`);
  }
  ctx.log(
    `${scenario}: ${spec.contender} ${result.status} in ${measurement.wallSeconds.toFixed(2)} s` +
      (result.note ? ` (${result.note})` : ''),
  );
  return result;
}

/**
 * Phases of an engine CLI run from its NDJSON: `startup` until its first line (process start, module loading),
 * `work` until its summary line, `exit` from the summary to the process's end.
 */
export function cliPhases(lines: readonly TimedLine[], wallSeconds: number): Record<string, number> {
  const first = lines[0];
  const summary = lines.find(({ line }) => /^\{"event":"(summary|done)"/.test(line));
  if (!first || !summary) return {};
  return {
    startup: first.atSeconds,
    work: summary.atSeconds - first.atSeconds,
    exit: wallSeconds - summary.atSeconds,
  };
}

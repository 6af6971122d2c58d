/**
 * Runs one contender as its own process and measures it: wall time (monotonic clock around the process), CPU time
 * and peak RSS. Peak RSS comes from GNU time (`/usr/bin/time -f %M`), which reports the kernel's `ru_maxrss` of the
 * process and of every descendant it waited for: for a process tree (a bash script spawning curl and jq) that is
 * the largest single process, not a sum. Without GNU time, /proc/<pid>/status VmHWM of the direct child is polled.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** What one measured run cost. */
export interface Measurement {
  wallSeconds: number;
  userSeconds: number | null;
  systemSeconds: number | null;
  peakRssMiB: number | null;
  /** How peak RSS was taken: GNU time's ru_maxrss (max over the tree) or a poll of the child's VmHWM. */
  rssMethod: 'gnu-time' | 'proc-poll';
  exitCode: number;
  stdoutPath: string;
  stderrPath: string;
  /** Each stdout line with the seconds since start at which it arrived (when `timestampLines` was asked for). */
  lines?: TimedLine[];
}

/** A line of output and when it arrived. */
export interface TimedLine {
  atSeconds: number;
  line: string;
}

/** Options of {@link measureCommand}. */
export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Folder that receives `<label>.stdout`, `<label>.stderr` and `<label>.time`. */
  logDir: string;
  label: string;
  /** Reads stdout through a pipe and notes when each line arrived (for phases such as "download started"). */
  timestampLines?: boolean;
}

/** Whether GNU time is installed (it is what makes peak RSS of process trees exact). */
export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/** Runs `command args...` to completion and measures it; never throws for a non-zero exit (the caller decides). */
export async function measureCommand(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<Measurement> {
  const stdoutPath = join(options.logDir, `${options.label}.stdout`);
  const stderrPath = join(options.logDir, `${options.label}.stderr`);
  const timePath = join(options.logDir, `${options.label}.time`);
  const useTime = hasGnuTime();
  const argv = useTime ? ['-f', '%e %U %S %M', '-o', timePath, command, ...args] : [...args];
  const out = openSync(stdoutPath, 'w');
  const err = openSync(stderrPath, 'w');
  const started = performance.now();
  const child = spawn(useTime ? GNU_TIME : command, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', options.timestampLines ? 'pipe' : out, err],
  });
  const lines: TimedLine[] = [];
  if (options.timestampLines && child.stdout) {
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const atSeconds = (performance.now() - started) / 1000;
      writeSync(out, chunk);
      const parts = (pending + chunk.toString('utf8')).split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) lines.push({ atSeconds, line });
    });
  }
  let polledKiB = 0;
  const poll = useTime
    ? null
    : setInterval(
        () => void pollHighWater(child.pid).then((kib) => (polledKiB = Math.max(polledKiB, kib))),
        50,
      );
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  }).finally(() => {
    if (poll) clearInterval(poll);
    closeSync(out);
    closeSync(err);
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (options.timestampLines) {
    // Kept beside the raw output, so phases can be read again after the run (`--keep`).
    writeFileSync(
      `${stdoutPath}.timed`,
      lines.map(({ atSeconds, line }) => `${atSeconds.toFixed(3)} ${line}\n`).join(''),
    );
  }
  if (!useTime) {
    return {
      wallSeconds,
      userSeconds: null,
      systemSeconds: null,
      peakRssMiB: polledKiB > 0 ? polledKiB / 1024 : null,
      rssMethod: 'proc-poll',
      exitCode,
      stdoutPath,
      stderrPath,
      ...(options.timestampLines ? { lines } : {}),
    };
  }
  const times = await parseTimeFile(timePath);
  return {
    wallSeconds,
    userSeconds: times?.user ?? null,
    systemSeconds: times?.system ?? null,
    peakRssMiB: times ? times.maxRssKiB / 1024 : null,
    rssMethod: 'gnu-time',
    exitCode,
    stdoutPath,
    stderrPath,
    ...(options.timestampLines ? { lines } : {}),
  };
}

/** GNU time writes "Command exited with non-zero status N" before the format line when the command fails. */
async function parseTimeFile(
  path: string,
): Promise<{ user: number; system: number; maxRssKiB: number } | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const line = text.trim().split('\n').at(-1) ?? '';
  const parts = line.trim().split(/\s+/).map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isFinite(part))) return null;
  const [, user, system, maxRssKiB] = parts as [number, number, number, number];
  return { user, system, maxRssKiB };
}

async function pollHighWater(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** CPU seconds (user + system) a running process has used so far, from /proc/<pid>/stat; null off Linux. */
export async function cpuSecondsOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based), in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : null;
}

/** Linux reports process times in USER_HZ, which is 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Starts and stops the sandbox child process (bench/sandbox-child.ts) and reads what it costs: its CPU time
 * between two points shows whether the server, not the contender, was the bottleneck.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuSecondsOf } from './measure.ts';

/** Credentials every sandbox accepts by default. */
export const SANDBOX_CREDENTIALS = {
  apiKey: 'sandbox-api-key',
  username: 'sandbox',
  password: 'sandbox',
} as const;

/** A running sandbox child. */
export interface SandboxProcess {
  baseUrl: string;
  origin: string;
  pid: number;
  /** CPU seconds the sandbox has used so far (null where /proc is missing). */
  cpuSeconds(): Promise<number | null>;
  stop(): Promise<void>;
}

/** Options passed through to `startSandbox` (JSON-serialisable). */
export interface SandboxChildOptions {
  dataDir: string;
  labelers: boolean;
  taskSeconds?: number;
  exceptionRate?: number;
  seed?: number;
  downloadUrlTtl?: number;
  /** Megabits per second each way, shared by every connection (0 or missing: no cap). */
  bandwidthMbps?: number;
  faults?: { latencyMs?: number };
}

const CHILD = fileURLToPath(new URL('./sandbox-child.ts', import.meta.url));

/** Starts the sandbox as a child process and waits until it listens. */
export async function startSandboxProcess(options: SandboxChildOptions): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ready = await readReadyLine(child);
  const pid = child.pid as number;
  return {
    ...ready,
    pid,
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: () => stopChild(child),
  };
}

function readReadyLine(child: ChildProcess): Promise<{ baseUrl: string; origin: string }> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const onExit = (code: number | null): void =>
      reject(new Error(`the sandbox exited before listening (code ${code})`));
    child.once('exit', onExit);
    child.once('error', reject);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      lines.close();
      try {
        resolve(JSON.parse(line) as { baseUrl: string; origin: string });
      } catch {
        reject(new Error(`the sandbox printed an unexpected first line: ${line.slice(0, 200)}`));
      }
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

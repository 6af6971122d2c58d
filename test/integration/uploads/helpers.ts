/**
 * Shared pieces of the upload integration tests: a client for a running sandbox, a service on a fresh state
 * directory, generated files, and waiting for a run to settle.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlegionClient } from '../../../main/alegion/client.ts';
import type { ClosableAlegionClient } from '../../../main/alegion/client.ts';
import { createUploadService } from '../../../main/uploads/upload-service.ts';
import type { UploadService, UploadServiceDeps } from '../../../main/uploads/upload-service.ts';
import type { RunningSandbox } from '../../../sandbox/server.ts';
import { sandboxConnection } from '../../support/sandbox.ts';

/** A client logged in as the sandbox's user, with short backoffs for fast tests. */
export function sandboxClient(sandbox: RunningSandbox): ClosableAlegionClient {
  return createAlegionClient({
    ...sandboxConnection(sandbox),
    baseBackoffMs: 50,
    maxBackoffMs: 500,
    timeoutMs: 10_000,
  });
}

/** The environment that points the CLI at a sandbox. */
export function sandboxEnv(sandbox: RunningSandbox): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ALEGION_API_URL: sandbox.baseUrl,
    ALEGION_API_KEY: sandbox.options.apiKey,
    ALEGION_USERNAME: sandbox.options.username,
    ALEGION_PASSWORD: sandbox.options.password,
  };
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `count` small distinct files into `dir` (PNG-looking, so classification accepts them as images). */
export function writeImages(dir: string, count: number, bytes = 2048): string[] {
  mkdirSync(dir, { recursive: true });
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = Buffer.alloc(bytes, i % 251);
    signature.copy(body, 0);
    body.writeUInt32BE(i, 16);
    const path = join(dir, `img-${String(i).padStart(5, '0')}.png`);
    writeFileSync(path, body);
    paths.push(path);
  }
  return paths;
}

/** A service on a state directory, against the sandbox. */
export function serviceFor(
  sandbox: RunningSandbox,
  stateDir: string,
  extra: Partial<UploadServiceDeps> = {},
): { service: UploadService; client: ClosableAlegionClient } {
  const client = sandboxClient(sandbox);
  const service = createUploadService({
    client,
    stateDir,
    runner: { lingerMs: 200, retryBaseMs: 100, retryMaxMs: 1000 },
    ...extra,
  });
  return { service, client };
}

/** Resolves once nothing is waiting or under way (polling the journal), or rejects when the queue is blocked. */
export async function settled(service: UploadService, timeoutMs = 100_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.mode === 'blocked') throw new Error(`queue blocked: ${service.modeMessage}`);
    if (service.isSettled()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not settled within ${timeoutMs} ms: ${JSON.stringify(service.totals().files)}`);
}

/** Path of the CLI entry point. */
export const CLI = join(import.meta.dirname, '../../../main/host/cli.ts');

/** Runs the CLI to completion; resolves with its exit code and output. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the CLI and SIGKILLs it once `until` says so (or it exits first); resolves with whether it was killed. */
export function runCliAndKill(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  until: () => boolean | Promise<boolean>,
): Promise<{ killed: boolean; code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    const timer = setInterval(async () => {
      if (killed || child.exitCode !== null) return;
      if (await until()) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ killed, code, stdout });
    });
  });
}

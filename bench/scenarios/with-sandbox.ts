/**
 * Gives a scenario its own sandbox process with its own data folder, and removes both afterwards, so stored
 * uploads of one scenario never fill the disk for the next.
 */
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from '../context.ts';
import type { SandboxChildOptions, SandboxProcess } from '../sandbox-process.ts';
import { startSandboxProcess } from '../sandbox-process.ts';

/** Runs `fn` against a fresh sandbox child whose data lives under `dir`. */
export async function withSandbox<T>(
  ctx: BenchContext,
  dir: string,
  options: Omit<SandboxChildOptions, 'dataDir'>,
  fn: (sandbox: SandboxProcess) => Promise<T>,
): Promise<T> {
  const dataDir = join(dir, 'sandbox-data');
  mkdirSync(dataDir, { recursive: true });
  const sandbox = await startSandboxProcess({ ...options, dataDir });
  ctx.log(`sandbox listening at ${sandbox.origin} (pid ${sandbox.pid})`);
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

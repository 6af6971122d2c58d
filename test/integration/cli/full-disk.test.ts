/**
 * A full disk is reported as a full disk. The journal and the export download are put on a real, tiny tmpfs (a
 * real filesystem that answers ENOSPC, where SQLite answers SQLITE_FULL), at several sizes so that the disk fills
 * at different points of the run: while the journal is created, during intake, mid-run. Each must end with "the
 * disk is full" and how to go on, never SQLite's "cannot rollback" nor eight futile download attempts.
 * Mounting needs root (CI runs as root); elsewhere the test says why it is skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { FAST_LABELERS, useSandbox } from '../../support/sandbox.ts';
import { createFinishedBatch } from '../exports/finished-batch.ts';
import { CLI, sandboxClient, sandboxEnv, tempDir, writeImages } from '../uploads/helpers.ts';

const sandbox = useSandbox(FAST_LABELERS);
const WORKFLOW = SANDBOX_WORKFLOWS.image;
const root = tempDir('full-disk-');
const mounts: string[] = [];

/** Mounts a tmpfs of `kib` KiB; returns its path, or null when this machine does not allow it. */
function tinyDisk(name: string, kib: number): string | null {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', path]);
  if (mounted.status !== 0) return null;
  mounts.push(path);
  return path;
}

const probe = tinyDisk('probe', 64);
const canMount = probe !== null;
if (!canMount) console.log('skipped: full-disk tests need to mount a tmpfs (run as root)');

afterAll(() => {
  for (const path of mounts) spawnSync('umount', ['-l', path]);
  rmSync(root, { recursive: true, force: true });
});

/** Runs the CLI without blocking this process: the sandbox answers from it. */
function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: sandboxEnv(sandbox()),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(!canMount)('a full disk', () => {
  let images: string;
  beforeAll(() => {
    images = join(root, 'images');
    writeImages(images, 400, 512);
  });

  it.each([48, 96, 160, 256])('the journal on a %i KiB disk says the disk is full', async (kib) => {
    const disk = tinyDisk(`journal-${kib}`, kib) as string;
    const run = await cli([
      'upload',
      images,
      '--workflow',
      WORKFLOW,
      '--new-batch',
      `full-${kib}`,
      '--state-dir',
      disk,
    ]);
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toMatch(/the disk is full[^\n]*free some space/);
    expect(run.output).not.toMatch(/rollback|SQLITE_|no transaction/i);
  });

  it('an export onto a full disk stops at once with the disk full and keeps its .part', async () => {
    const client = sandboxClient(sandbox());
    try {
      const batch = await createFinishedBatch(client, WORKFLOW, { count: 6, size: 100_000 });
      const disk = tinyDisk('export', 256) as string;
      const downloadsBefore = sandbox().stats().downloads.requests;
      const run = await cli(['export', '--workflow', WORKFLOW, '--batch', batch.batchId, '--out', disk]);
      expect(run.code, run.output).not.toBe(0);
      expect(run.output).toMatch(/the disk is full[^\n]*free some space/);
      expect(run.output).not.toMatch(/gave up after \d+ attempts/);
      // One request: a full disk is not a network fault to retry.
      expect(sandbox().stats().downloads.requests - downloadsBefore).toBe(1);
      expect(readdirSync(disk).filter((name) => name.endsWith('.zip.part'))).toHaveLength(1);
    } finally {
      client.close();
    }
  });
});

/**
 * A mistyped host ends the command with a clear error; an outage of a host that answered is waited out, and the
 * wait says how to stop and how to resume. The unknown host is under `.invalid`, a name that never resolves
 * (RFC 6761): with no network the lookup fails at once, with one it fails with NXDOMAIN, and the resolver is told
 * to try once with a one-second timeout so an unreachable name server cannot stretch the test either.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { CLI, sandboxEnv, tempDir, writeImages } from '../uploads/helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 21, faults: { latencyMs: 20 } });

const UNKNOWN_API = 'https://nonexistent.invalid/v1';
const WORKFLOW = SANDBOX_WORKFLOWS.image;
const BATCH = '00000000-0000-4000-8000-000000000042';
/** The one line expected, whichever answer the resolver gives (no such name, or no name server reachable). */
const HOST_NOT_FOUND =
  /^error: cannot find the host nonexistent\.invalid(: check the API URL| \(no name server answered\): check the API URL and the network)$/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; a run still going after `limitMs` is killed (code null): waiting forever is the failure. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  limitMs = 60_000,
  onStdout?: (text: string) => void,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function unknownHostEnv(): NodeJS.ProcessEnv {
  return { ...sandboxEnv(sandbox()), ALEGION_API_URL: UNKNOWN_API, RES_OPTIONS: 'timeout:1 attempts:1' };
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('CLI against a host that does not resolve', () => {
  it('upload ends with "cannot find the host" instead of waiting offline, and queues nothing', async () => {
    const folder = join(tempDir('unknown-host-'), 'in');
    writeImages(folder, 2);
    const state = tempDir('unknown-host-state-');
    const result = await run(
      ['upload', folder, '--workflow', WORKFLOW, '--new-batch', 'typo', '--state-dir', state],
      unknownHostEnv(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(HOST_NOT_FOUND.source.replace('$', '\\n$')));
    expect(result.stdout).not.toContain('offline');
  });

  it('whoami, status --wait and export end with the same line', async () => {
    const out = tempDir('unknown-host-out-');
    const commands = [
      ['whoami'],
      ['status', '--workflow', WORKFLOW, '--batch', BATCH, '--wait'],
      ['export', '--workflow', WORKFLOW, '--out', out, '--state-dir', tempDir('unknown-host-export-')],
    ];
    const results = await Promise.all(commands.map((args) => run(args, unknownHostEnv())));
    for (const [i, result] of results.entries()) {
      expect({ command: commands[i]?.[0], code: result.code }).toEqual({
        command: commands[i]?.[0],
        code: 1,
      });
      expect(lastLine(result.stderr)).toMatch(HOST_NOT_FOUND);
    }
  });
});

describe('CLI upload during an outage of a host that answered', () => {
  it('waits, says how to stop and how to resume, and finishes when the network is back', async () => {
    const folder = join(tempDir('outage-'), 'in');
    writeImages(folder, 60, 16 * 1024);
    const hint =
      'offline: waiting for the network to come back (Ctrl+C stops; run the same command again to resume)';
    let sawHint = false;
    let outageStarted = false;
    const args = ['upload', folder, '--workflow', WORKFLOW, '--new-batch', 'outage', '--concurrency', '1'];
    const pending = run(
      [...args, '--state-dir', tempDir('outage-state-')],
      sandboxEnv(sandbox()),
      120_000,
      (stdout) => {
        if (!outageStarted && stdout.includes('queued 60 files')) {
          outageStarted = true;
          sandbox().setFaults({ offline: true });
        }
        if (!sawHint && stdout.includes(hint)) {
          sawHint = true;
          sandbox().setFaults({ offline: false });
        }
      },
    );
    const result = await pending;
    sandbox().setFaults({ offline: false });
    expect(sawHint).toBe(true);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^60 done, 0 skipped, 0 failed/m);
  });
});

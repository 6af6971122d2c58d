/**
 * `npm start` on a machine where Electron cannot run (no binary, or ALEGION_START_NO_ELECTRON=1 where one exists):
 * it starts the headless host, prints its URL, serves the app's page from it, and Ctrl+C (SIGINT to the whole
 * process group, as a terminal sends it) stops every process it started. BROWSER=none keeps a browser from opening.
 * In `npm test` the build step before has just built the app, so npm start finds it fresh and starts in seconds; run
 * alone after a source change, it builds first, which takes minutes on a loaded 2-core machine: hence the timeouts.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
// The token rides in the fragment (never sent to a server, never in logs); an older host put it in the query.
const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/[?#]token=[A-Za-z0-9_-]+/;

let child: ChildProcess | null = null;
let stateHome: string;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the first URL the process prints, or rejects after `ms` (the output so far in the message). */
function printedUrl(proc: ChildProcess, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no URL within ${ms} ms; output:\n${output}`)), ms);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = URL_PATTERN.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before printing a URL; output:\n${output}`));
    });
  });
}

function exited(proc: ChildProcess, ms: number): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running ${ms} ms after Ctrl+C`)), ms);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

afterAll(async () => {
  // Whatever happened above, nothing this test started outlives it.
  if (child?.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  await rm(stateHome, { recursive: true, force: true });
});

it(
  'npm start without Electron serves the app in the browser and stops on Ctrl+C',
  { timeout: 360_000 },
  async () => {
    stateHome = await mkdtemp(join(tmpdir(), 'alegion-start-'));
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      // Its own process group, so the SIGINT below reaches npm, the start script and the host, as Ctrl+C does.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BROWSER: 'none',
        ALEGION_START_NO_ELECTRON: '1',
        XDG_STATE_HOME: stateHome,
      },
    });
    const url = await printedUrl(child, 300_000);

    const page = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    expect(html).toMatch(/<script[^>]+src="[^"]+\.js"/);

    process.kill(-child.pid!, 'SIGINT');
    await exited(child, 20_000);
    // Give the group's last members (npm's shell, the host) a moment, bounded, to be gone too.
    for (let i = 0; i < 50 && groupAlive(child.pid!); i++) await new Promise((r) => setTimeout(r, 100));
    expect(groupAlive(child.pid!)).toBe(false);
  },
);

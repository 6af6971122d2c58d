/**
 * Electronegativity over the desktop app's sources (main/app, preload, renderer, package.json), offline: its
 * translation download is stubbed and the one check that fetches Electron's release list is left out (Electron's
 * version is pinned in package.json and upgraded deliberately). No high or critical finding may remain; findings
 * that were reviewed carry an `eng-disable` comment with the reason beside the code.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Issue {
  id: string;
  file: string;
  location: { line: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  manualReview: boolean;
}

interface Report {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Issue[];
}

const require = createRequire(import.meta.url);
const base = dirname(require.resolve('@doyensec/electronegativity/package.json'));

/** Loads the scanner with its network calls cut: translations come from its bundled locale files. */
function loadOfflineRunner(): (options: Record<string, unknown>) => Promise<Report> {
  const gotPath = require.resolve('got', { paths: [join(base, 'dist/locales')] });
  require.cache[gotPath] = {
    id: gotPath,
    filename: gotPath,
    loaded: true,
    exports: () => Promise.reject(new Error('offline')),
  } as unknown as NodeJS.Module;
  return require(join(base, 'dist/runner.js')) as (options: Record<string, unknown>) => Promise<Report>;
}

let input: string;
let report: Report;

beforeAll(async () => {
  input = await mkdtemp(join(tmpdir(), 'alegion-electronegativity-'));
  for (const path of ['main/app', 'preload', 'renderer', 'package.json']) {
    await cp(join(process.cwd(), path), join(input, path), { recursive: true });
  }
  // A known-bad window in its own folder proves the scan is not vacuous: it must be found, and only it.
  await mkdir(join(input, 'canary'));
  await writeFile(
    join(input, 'canary', 'bad-window.ts'),
    "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\n",
  );
  const run = loadOfflineRunner();
  const quiet = console.log;
  console.log = () => {};
  try {
    report = await run({
      input,
      output: null,
      isSarif: false,
      customScan: [],
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      isRelative: true,
    });
  } finally {
    console.log = quiet;
  }
}, 60_000);

afterAll(async () => rm(input, { recursive: true, force: true }));

describe('Electronegativity', () => {
  it('ran its checks and parsed every source file', () => {
    expect(report.atomicChecks).toBeGreaterThan(20);
    expect(report.globalChecks).toBeGreaterThan(2);
    expect(report.errors.filter((e) => !e.tolerable)).toEqual([]);
  });

  const ours = () => report.issues.filter((issue) => !issue.file.startsWith('canary'));

  it('finds the planted insecure window (the scan works)', () => {
    const planted = report.issues.filter((issue) => issue.file.startsWith('canary')).map((issue) => issue.id);
    expect(planted).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(planted).toContain('NODE_INTEGRATION_JS_CHECK');
  });

  it('reports no high or critical finding in the app', () => {
    const serious = ours()
      .filter((issue) => ['HIGH', 'CRITICAL'].includes(issue.severity.name))
      .map((issue) => `${issue.id} ${issue.file}:${issue.location.line}`);
    expect(serious).toEqual([]);
  });

  it('reports no medium finding in the app either', () => {
    const medium = ours()
      .filter((issue) => issue.severity.name === 'MEDIUM')
      .map((issue) => `${issue.id} ${issue.file}:${issue.location.line}`);
    expect(medium).toEqual([]);
  });
});

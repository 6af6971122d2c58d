/**
 * `npm test`: typecheck, lint, dead code, build, unit, integration and end-to-end, in that order, then one
 * summary line `N passed, N failed` (with `, N skipped`). Typecheck, lint, dead code and build count as one check
 * each.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];
mkdirSync('test-results', { recursive: true });

function run(label: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n=== ${label}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function check(label: string, command: string, args: string[]): void {
  if (run(label, command, args)) tally.passed += 1;
  else {
    tally.failed += 1;
    failures.push(label);
  }
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTestSuites: number;
  numFailedTestSuites: number;
}

function vitest(project: string): void {
  const out = `test-results/${project}.json`;
  const ok = run(project, 'npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--passWithNoTests',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${out}`,
  ]);
  if (!existsSync(out)) {
    tally.failed += 1;
    failures.push(`${project} (no report)`);
    return;
  }
  const report = JSON.parse(readFileSync(out, 'utf8')) as VitestReport;
  tally.passed += report.numPassedTests;
  tally.failed += report.numFailedTests;
  tally.skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no failed test but a failed suite: count it so it cannot pass silently.
  const brokenFiles = report.numFailedTests === 0 && !ok ? Math.max(1, report.numFailedTestSuites) : 0;
  tally.failed += brokenFiles;
  if (!ok) failures.push(project);
}

interface PlaywrightSpec {
  title: string;
  tests: { status: string; annotations: { type: string; description?: string }[] }[];
}

interface PlaywrightSuite {
  title: string;
  specs?: PlaywrightSpec[];
  suites?: PlaywrightSuite[];
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites: PlaywrightSuite[];
}

/** Every skipped end-to-end test with the reason its skip gave, so no test is silently absent. */
function skippedWithReasons(suites: PlaywrightSuite[], path: string[] = []): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests
        .filter((t) => t.status === 'skipped')
        .map((t) => {
          const reason = t.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given';
          return `${[...path, suite.title, spec.title].filter(Boolean).join(' › ')}: ${reason}`;
        }),
    ),
    ...skippedWithReasons(suite.suites ?? [], [...path, suite.title]),
  ]);
}

function playwright(): void {
  const out = 'test-results/e2e.json';
  const ok = run('e2e', 'npx', ['playwright', 'test']);
  if (!existsSync(out)) {
    tally.failed += 1;
    failures.push('e2e (no report)');
    return;
  }
  const { stats, suites } = JSON.parse(readFileSync(out, 'utf8')) as PlaywrightReport;
  for (const line of skippedWithReasons(suites)) process.stdout.write(`e2e ${line}\n`);
  tally.passed += stats.expected + stats.flaky;
  tally.failed += stats.unexpected;
  tally.skipped += stats.skipped;
  if (!ok && stats.unexpected === 0) tally.failed += 1;
  if (!ok) failures.push('e2e');
}

interface Check {
  label: string;
  command: string;
  args: string[];
}

/** Runs one check with its output kept, so that two checks at once do not interleave their lines. */
function runQuietly({
  label,
  command,
  args,
}: Check): Promise<{ label: string; ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code) => resolve({ label, ok: code === 0, output: Buffer.concat(output).toString() }));
  });
}

/**
 * The static checks, two at a time: each is one process that keeps a core busy, and none depends on another's
 * output. Each check's output is printed whole when it ends.
 */
async function staticChecks(checks: Check[]): Promise<void> {
  const waiting = [...checks];
  const worker = async (): Promise<void> => {
    for (let next = waiting.shift(); next; next = waiting.shift()) {
      const result = await runQuietly(next);
      process.stdout.write(`\n=== ${next.label}: ${next.command} ${next.args.join(' ')}\n${result.output}`);
      if (result.ok) tally.passed += 1;
      else {
        tally.failed += 1;
        failures.push(result.label);
      }
    }
  };
  await Promise.all([worker(), worker()]);
}

await staticChecks([
  { label: 'typecheck (node)', command: 'npx', args: ['tsc', '-p', 'tsconfig.node.json'] },
  { label: 'lint', command: 'npx', args: ['eslint', '--max-warnings', '0', '.'] },
  { label: 'dead code', command: 'npx', args: ['knip', '--no-progress'] },
  { label: 'typecheck (web)', command: 'npx', args: ['tsc', '-p', 'tsconfig.web.json'] },
  { label: 'typecheck (test)', command: 'npx', args: ['tsc', '-p', 'tsconfig.test.json'] },
  { label: 'build', command: 'npx', args: ['electron-vite', 'build'] },
]);
// The CLI bundle is built after the app's build: both write under out/.
check('build (cli)', 'node', ['scripts/build-cli.ts']);
vitest('unit');
vitest('integration');
playwright();

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`\n${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`);
process.exit(tally.failed > 0 ? 1 : 0);

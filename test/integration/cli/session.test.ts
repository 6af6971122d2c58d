import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAlegionClient } from '../../../main/alegion/client.ts';
import type { CompletionSnapshot } from '../../../main/doneness/completion.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';

// Exceptions are all canceled here, so a batch's totals stop moving once it is done: what the CLI prints at the
// end can be compared with the sandbox's stats afterwards.
const sandbox = useSandbox({ taskSeconds: 0.5, exceptionRate: 0.3, cancelRate: 1, seed: 17 });
const WORKFLOW = SANDBOX_WORKFLOWS.records;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the sandbox's credentials in ALEGION_* (unless `env` overrides them). */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const { options, baseUrl } = sandbox();
  const fullEnv: Record<string, string | undefined> = {
    ...process.env,
    ALEGION_API_URL: baseUrl,
    ALEGION_API_KEY: options.apiKey,
    ALEGION_USERNAME: options.username,
    ALEGION_PASSWORD: options.password,
    ...env,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['main/host/cli.ts', ...args],
      { cwd: ROOT, env: fullEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Asserts the run failed with exactly one line on stderr and no stack trace. */
function expectOneLineError(run: Run, code: number, line: string): void {
  expect(run.code).toBe(code);
  expect(run.stderr).toBe(`error: ${line}\n`);
  expect(run.stdout).toBe('');
}

describe('CLI session commands', () => {
  it('whoami checks the credentials', async () => {
    const run = await cli(['whoami']);
    expect(run).toEqual({ code: 0, stdout: `logged in to ${sandbox().baseUrl} as sandbox\n`, stderr: '' });
  });

  it('bad credentials give one clear line and exit 1, never echoing the secret', async () => {
    const password = await cli(['whoami', '--password', 'not-the-password']);
    expectOneLineError(password, 1, 'username or password rejected');
    const key = await cli(['whoami'], { ALEGION_API_KEY: 'not-the-key' });
    expectOneLineError(key, 1, 'API key rejected: check the key for this profile');
    expect(key.stderr).not.toContain('not-the-key');
  });

  it('usage errors exit 2: missing credentials, a malformed id, an unknown option', async () => {
    const missing = await cli(['whoami'], { ALEGION_USERNAME: undefined, ALEGION_PASSWORD: undefined });
    expectOneLineError(
      missing,
      2,
      'missing username (--username or ALEGION_USERNAME), password (--password or ALEGION_PASSWORD)',
    );
    const malformed = await cli(['status', '--workflow', WORKFLOW, '--batch', 'batch-1']);
    expectOneLineError(malformed, 2, '--batch "batch-1" is not an id (expected a UUID)');
    const unknown = await cli(['workflows', '--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--colour'");
  });

  it('workflows prints a table, or JSON', async () => {
    const table = await cli(['workflows']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+ACTIVE\s+CREATED\s+NAME$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(Object.values(SANDBOX_WORKFLOWS));
    const json = await cli(['workflows', '--json']);
    const workflows = JSON.parse(json.stdout) as { id: string; name: string }[];
    expect(workflows.map((workflow) => workflow.id)).toEqual(Object.values(SANDBOX_WORKFLOWS));
    expect(lines[4]).toContain(workflows[3]?.name);
  });

  it('batch create makes a batch that batches --workflow then lists', async () => {
    const created = await cli([
      'batch',
      'create',
      '--workflow',
      WORKFLOW,
      '--name',
      'from the CLI',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const batch = JSON.parse(created.stdout) as { id: string; name: string; isEnabled: boolean };
    expect(batch).toMatchObject({ name: 'from the CLI', isEnabled: false });

    const plain = await cli(['batch', 'create', '--workflow', WORKFLOW, '--name', 'second', '--enabled']);
    expect(plain.stdout).toMatch(/^created batch [0-9a-f-]{36} "second" \(enabled\)\n$/);

    const listed = JSON.parse((await cli(['batches', '--workflow', WORKFLOW, '--json'])).stdout) as {
      id: string;
    }[];
    expect(listed.map((entry) => entry.id)).toContain(batch.id);
    const table = await cli(['batches', '--workflow', WORKFLOW]);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+ENABLED\s+RECORDS\s+COMPLETE\s+IN PROGRESS\s+QUEUED/);
    expect(table.stdout).toMatch(
      new RegExp(`${batch.id}\\s+no\\s+0\\s+0\\s+0\\s+0\\s+0\\s+0\\s+from the CLI`),
    );
  });

  it('status --wait follows a batch until done, exits 0, and its totals equal the sandbox stats', async () => {
    const { options, baseUrl } = sandbox();
    const client = createAlegionClient({ baseUrl, ...options });
    const batch = await client.createBatch(WORKFLOW, { name: 'waited', isEnabled: true });
    await client.importRecords(
      batch.id,
      Array.from({ length: 30 }, (_, index) => ({ data: { n: index } })),
    );
    client.close();

    const run = await cli([
      'status',
      '--workflow',
      WORKFLOW,
      '--batch',
      batch.id,
      '--wait',
      '--interval',
      '0.2',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const snapshots = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as CompletionSnapshot);
    const last = snapshots.at(-1);
    expect(snapshots.slice(0, -1).every((snapshot) => !snapshot.done)).toBe(true);
    expect(last?.done).toBe(true);

    const byStatus = sandbox().stats().recordsByBatch[batch.id] ?? {};
    const records = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
    expect(last).toMatchObject({
      records,
      results: byStatus.complete ?? 0,
      exceptionOrCanceled: (byStatus.exception ?? 0) + (byStatus.canceled ?? 0),
      final: records,
      percentFinal: 100,
    });
    expect(records).toBe(30);
    expect(last?.exceptionOrCanceled).toBeGreaterThan(0);

    // Without --wait: the same totals as a block of lines.
    const once = await cli(['status', '--workflow', WORKFLOW, '--batch', batch.id]);
    expect(once.code).toBe(0);
    expect(once.stdout).toContain(`records             30\n`);
    expect(once.stdout).toContain(`results             ${byStatus.complete ?? 0}\n`);
    expect(once.stdout).toContain(`final               30/30 (100%)\n`);
    expect(once.stdout).toContain(`done                yes\n`);
  });

  it('status on an unknown batch names it, exit 1', async () => {
    const missing = '3c9fa471-882b-4d92-82d4-ece202606ba6';
    const run = await cli(['status', '--workflow', WORKFLOW, '--batch', missing]);
    expectOneLineError(run, 1, `batch ${missing} not found`);
  });
});
